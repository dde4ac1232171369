import { assistantRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { SupportInboxService } from './inbox.js';

/** The agent console's reads: the inbox and a conversation's history before the agent joins it. */
export async function inboxRoutes(app: FastifyInstance, inbox: SupportInboxService, messenger: MessengerService) {
  registerRoute(app, routes.supportInbox, async ({ actor, query }) => inbox.list(actor, query));
  registerRoute(app, routes.supportHistory, async ({ actor, params, query }) =>
    messenger.support.history(actor.orgId, params.conversationId, query),
  );
}
