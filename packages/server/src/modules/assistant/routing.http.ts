import { supportRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { ContactCenter } from './contact-center.js';

/** Whether the caller takes chats from the human queue (supervisors and admins opt in; agents always do). */
export async function routingRoutes(app: FastifyInstance, cc: ContactCenter) {
  registerRoute(app, routes.routing, async ({ actor }) => ({ takesChats: await cc.takesChats(actor) }));
  registerRoute(app, routes.setRouting, async ({ actor, body }) => ({
    takesChats: await cc.setTakesChats(actor, body.takesChats),
  }));
}
