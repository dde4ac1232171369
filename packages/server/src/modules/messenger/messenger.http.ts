import {
  ConversationIdParamsSchema,
  CreateConversationResultSchema,
  CreateConversationSchema,
  ProblemSchema,
  messengerRouteDefs as routes,
  SendMessageSchema,
  SendResultSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/access.js';
import { registerRoute } from '../../http/define-route.js';
import { security } from '../../http/route-docs.js';
import type { MessengerService } from './messenger.service.js';
import { parseSinceParam } from './sync.service.js';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const access = 'authenticated' as const;

/** REST for the messenger: thin — validate, call the same service the socket handlers call. */
export async function messengerRoutes(app: FastifyInstance, svc: MessengerService) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  registerRoute(app, routes.listConversations, async ({ actor, query }) => svc.conversations.list(actor, query));
  // Hand-written: answers 201 for a new conversation and 200 for an existing direct one; a defined route has one success status.
  r.post(
    '/api/v1/conversations',
    {
      config: { access },
      schema: {
        tags: ['conversations'],
        security,
        summary: 'Start a direct, group or support conversation',
        description:
          'A direct conversation with someone you already have one with answers 200 with it (`created: false`).',
        body: CreateConversationSchema,
        response: { 200: CreateConversationResultSchema, 201: CreateConversationResultSchema, ...problems },
      },
    },
    async (req, reply) => {
      const result = await svc.conversations.create(actorOf(req), req.body);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );
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
  // Hand-written: answers 201 for a new message and 200 for a repeated clientMsgId; a defined route has one success status.
  r.post(
    '/api/v1/conversations/:conversationId/messages',
    {
      config: { access },
      schema: {
        tags: ['messages'],
        security,
        summary: 'Send a message (idempotent on clientMsgId)',
        description:
          'Answers after the message is stored: 201 when new, 200 with `duplicate: true` and the original for a repeated clientMsgId.',
        params: ConversationIdParamsSchema,
        body: SendMessageSchema,
        response: { 200: SendResultSchema, 201: SendResultSchema, ...problems, 413: ProblemSchema },
      },
    },
    async (req, reply) => {
      const result = await svc.messages.send(actorOf(req), req.params.conversationId, req.body);
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );
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
