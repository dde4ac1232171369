import { agentToolRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { CannedService } from './canned.service.js';

/** Canned responses: staff only (customers 403). */
export async function cannedRoutes(app: FastifyInstance, canned: CannedService) {
  registerRoute(app, routes.listCanned, async ({ actor }) => ({ items: await canned.list(actor) }));
  registerRoute(app, routes.createCanned, ({ actor, body }) => canned.create(actor, body));
  registerRoute(app, routes.updateCanned, ({ actor, params, body }) => canned.update(actor, params.id, body));
  registerRoute(app, routes.deleteCanned, async ({ actor, params }) => {
    await canned.remove(actor, params.id);
    return undefined;
  });
}
