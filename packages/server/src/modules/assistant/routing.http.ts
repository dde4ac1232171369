import { ProblemSchema, SupportRoutingSchema } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, STAFF } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { ContactCenter } from './contact-center.js';

const tags = ['contact center'];

/** Whether the caller takes chats from the human queue (supervisors and admins opt in; agents always do). */
export async function routingRoutes(app: FastifyInstance, cc: ContactCenter) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/support-routing',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Whether I take chats from the human queue',
        security,
        response: { 200: SupportRoutingSchema, ...denied },
      },
    },
    async (req) => ({ takesChats: await cc.takesChats(actorOf(req)) }),
  );
  r.put(
    '/api/v1/support-routing',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Opt in or out of chats from the human queue (supervisors and admins; agents always take them)',
        security,
        body: SupportRoutingSchema,
        response: { 200: SupportRoutingSchema, 400: ProblemSchema, ...denied },
      },
    },
    async (req) => ({ takesChats: await cc.setTakesChats(actorOf(req), req.body.takesChats) }),
  );
}
