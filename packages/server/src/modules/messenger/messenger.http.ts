import { ProblemSchema, messengerRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerRoute } from '../../http/define-route.js';
import type { MessengerService } from './messenger.service.js';
import { parseSinceParam } from './sync.service.js';

const _problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const _access = 'authenticated' as const;

/** REST for the messenger: thin — validate, call the same service the socket handlers call. */
export async function messengerRoutes(app: FastifyInstance, svc: MessengerService) {
  const _r = app.withTypeProvider<ZodTypeProvider>();

  registerRoute(app, routes.listConversations, async ({ actor, query }) => svc.conversations.list(actor, query));
  registerRoute(app, routes.startConversation, async ({ actor, body, reply }) => {
    const result = await svc.conversations.create(actor, body);
    if (!result.created) reply.code(200);
    return result;
  });
  registerRoute(app, routes.getConversation, async ({ actor, params }) =>
    svc.conversations.get(actor, params.conversationId),
  );
  registerRoute(app, routes.renameConversation, async ({ actor, params, body }) =>
    svc.conversations.rename(actor, params.conversationId, body.name),
  );
  registerRoute(app, routes.addConversationMembers, async ({ actor, params, body }) =>
    svc.conversations.addMembers(actor, params.conversationId, body),
  );
  registerRoute(app, routes.removeConversationMember, async ({ actor, params }) => {
    await svc.conversations.removeMember(actor, params.conversationId, params.userId);
    return undefined;
  });
  // `DELETE /conversations/{id}` is the messenger document's name for leaving; both run the same call.
  for (const def of [routes.leaveConversationByPost, routes.leaveConversation]) {
    registerRoute(app, def, async ({ actor, params }) => {
      await svc.conversations.leave(actor, params.conversationId);
      return undefined;
    });
  }
  registerRoute(app, routes.messageHistory, async ({ actor, params, query }) =>
    svc.messages.history(actor, params.conversationId, query),
  );
  registerRoute(app, routes.sendMessage, async ({ actor, params, body, reply }) => {
    const result = await svc.messages.send(actor, params.conversationId, body);
    if (result.duplicate) reply.code(200);
    return result;
  });
  registerRoute(app, routes.markConversationRead, async ({ actor, params, body }) =>
    svc.messages.markRead(actor, params.conversationId, body),
  );
  registerRoute(app, routes.getMessage, async ({ actor, params }) => svc.messages.get(actor, params.messageId));
  registerRoute(app, routes.editMessage, async ({ actor, params, body }) =>
    svc.messages.edit(actor, params.messageId, body),
  );
  registerRoute(app, routes.deleteMessage, async ({ actor, params }) => svc.messages.delete(actor, params.messageId));
  registerRoute(app, routes.messageEdits, async ({ actor, params }) => svc.messages.edits(actor, params.messageId));
  registerRoute(app, routes.reactToMessage, async ({ actor, params, body }) =>
    svc.messages.react(actor, params.messageId, body),
  );
  registerRoute(app, routes.sync, async ({ actor, query }) =>
    svc.sync.sync(actor, { cursor: query.cursor, since: parseSinceParam(query.since), limit: query.limit }),
  );
}
