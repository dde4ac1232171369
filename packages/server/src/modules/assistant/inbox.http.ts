import {
  HandoffParamsSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  ProblemSchema,
  SupportInboxQuerySchema,
  SupportInboxSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, STAFF } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { SupportInboxService } from './inbox.js';

const tags = ['contact center'];

/** The agent console's reads: the inbox and a conversation's history before the agent joins it. */
export async function inboxRoutes(app: FastifyInstance, inbox: SupportInboxService, messenger: MessengerService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/support',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Support conversations, newest activity first, by status or assigned to me',
        security,
        querystring: SupportInboxQuerySchema,
        response: { 200: SupportInboxSchema, ...denied },
      },
    },
    async (req) => inbox.list(actorOf(req), req.query),
  );
  r.get(
    '/api/v1/support/:conversationId/messages',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "A support conversation's messages for staff (no need to join it first)",
        security,
        params: HandoffParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: HistoryPageSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => messenger.support.history(actorOf(req).orgId, req.params.conversationId, req.query),
  );
}
