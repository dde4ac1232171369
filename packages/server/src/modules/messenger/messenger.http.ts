import {
  AddMembersSchema,
  ConversationIdParamsSchema,
  ConversationListQuerySchema,
  ConversationListSchema,
  ConversationSchema,
  CreateConversationResultSchema,
  CreateConversationSchema,
  EditMessageSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  IdSchema,
  MarkReadSchema,
  MemberParamsSchema,
  MessageEditsSchema,
  MessageSchema,
  ProblemSchema,
  ReactSchema,
  ReadStateSchema,
  RenameConversationSchema,
  SendMessageSchema,
  SendResultSchema,
  SyncQuerySchema,
  SyncResultSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/access.js';
import { security } from '../../http/route-docs.js';
import type { MessengerService } from './messenger.service.js';
import { parseSinceParam } from './sync.service.js';

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const MessageParamsSchema = z.object({ messageId: IdSchema });
const access = 'authenticated' as const;

/** REST for the messenger: thin — validate, call the same service the socket handlers call. */
export async function messengerRoutes(app: FastifyInstance, svc: MessengerService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const conv = { tags: ['conversations'], security };
  const msg = { tags: ['messages'], security };

  r.get(
    '/api/v1/conversations',
    {
      config: { access },
      schema: {
        ...conv,
        summary: 'My conversations, newest activity first, with unread counts',
        querystring: ConversationListQuerySchema,
        response: { 200: ConversationListSchema, ...problems },
      },
    },
    async (req) => svc.conversations.list(actorOf(req), req.query),
  );
  r.post(
    '/api/v1/conversations',
    {
      config: { access },
      schema: {
        ...conv,
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
  r.get(
    '/api/v1/conversations/:conversationId',
    {
      config: { access },
      schema: {
        ...conv,
        summary: 'A conversation with its members',
        params: ConversationIdParamsSchema,
        response: { 200: ConversationSchema, ...problems },
      },
    },
    async (req) => svc.conversations.get(actorOf(req), req.params.conversationId),
  );
  r.patch(
    '/api/v1/conversations/:conversationId',
    {
      config: { access },
      schema: {
        ...conv,
        summary: 'Rename a group (admins)',
        params: ConversationIdParamsSchema,
        body: RenameConversationSchema,
        response: { 200: ConversationSchema, ...problems },
      },
    },
    async (req) => svc.conversations.rename(actorOf(req), req.params.conversationId, req.body.name),
  );
  r.post(
    '/api/v1/conversations/:conversationId/members',
    {
      config: { access },
      schema: {
        ...conv,
        summary: 'Add members to a group (admins)',
        params: ConversationIdParamsSchema,
        body: AddMembersSchema,
        response: { 200: ConversationSchema, ...problems },
      },
    },
    async (req) => svc.conversations.addMembers(actorOf(req), req.params.conversationId, req.body),
  );
  r.delete(
    '/api/v1/conversations/:conversationId/members/:userId',
    {
      config: { access },
      schema: {
        ...conv,
        summary: 'Remove a member (admins) or yourself',
        params: MemberParamsSchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (req, reply) => {
      await svc.conversations.removeMember(actorOf(req), req.params.conversationId, req.params.userId);
      return reply.status(204).send(null);
    },
  );
  // `DELETE /conversations/{id}` is the messenger document's name for leaving; both run the same call.
  for (const [method, url] of [
    ['POST', '/api/v1/conversations/:conversationId/leave'],
    ['DELETE', '/api/v1/conversations/:conversationId'],
  ] as const) {
    r.route({
      method,
      url,
      config: { access },
      schema: {
        ...conv,
        summary: 'Leave a group or support conversation',
        params: ConversationIdParamsSchema,
        response: { 204: z.null(), ...problems },
      },
      handler: async (req, reply) => {
        await svc.conversations.leave(actorOf(req), req.params.conversationId);
        return reply.status(204).send(null);
      },
    });
  }
  r.get(
    '/api/v1/conversations/:conversationId/messages',
    {
      config: { access },
      schema: {
        ...msg,
        summary: 'History, paged by seq (newest first; `after` for oldest first)',
        params: ConversationIdParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: HistoryPageSchema, ...problems },
      },
    },
    async (req) => svc.messages.history(actorOf(req), req.params.conversationId, req.query),
  );
  r.post(
    '/api/v1/conversations/:conversationId/messages',
    {
      config: { access },
      schema: {
        ...msg,
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
  r.post(
    '/api/v1/conversations/:conversationId/read',
    {
      config: { access },
      schema: {
        ...msg,
        summary: 'Mark read up to seq (forward only)',
        params: ConversationIdParamsSchema,
        body: MarkReadSchema,
        response: { 200: ReadStateSchema, ...problems },
      },
    },
    async (req) => svc.messages.markRead(actorOf(req), req.params.conversationId, req.body),
  );
  r.get(
    '/api/v1/messages/:messageId',
    {
      config: { access },
      schema: {
        ...msg,
        summary: 'One message',
        params: MessageParamsSchema,
        response: { 200: MessageSchema, ...problems },
      },
    },
    async (req) => svc.messages.get(actorOf(req), req.params.messageId),
  );
  r.patch(
    '/api/v1/messages/:messageId',
    {
      config: { access },
      schema: {
        ...msg,
        summary: 'Edit your message (history kept)',
        params: MessageParamsSchema,
        body: EditMessageSchema,
        response: { 200: MessageSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (req) => svc.messages.edit(actorOf(req), req.params.messageId, req.body),
  );
  r.delete(
    '/api/v1/messages/:messageId',
    {
      config: { access },
      schema: {
        ...msg,
        summary: 'Delete a message (sender or group admin); answers the tombstone',
        params: MessageParamsSchema,
        response: { 200: MessageSchema, ...problems },
      },
    },
    async (req) => svc.messages.delete(actorOf(req), req.params.messageId),
  );
  r.get(
    '/api/v1/messages/:messageId/edits',
    {
      config: { access },
      schema: {
        ...msg,
        summary: 'Earlier versions of an edited message',
        params: MessageParamsSchema,
        response: { 200: MessageEditsSchema, ...problems },
      },
    },
    async (req) => svc.messages.edits(actorOf(req), req.params.messageId),
  );
  r.post(
    '/api/v1/messages/:messageId/reactions',
    {
      config: { access },
      schema: {
        ...msg,
        summary: 'Add or remove a reaction',
        params: MessageParamsSchema,
        body: ReactSchema,
        response: { 200: MessageSchema, ...problems, 409: ProblemSchema },
      },
    },
    async (req) => svc.messages.react(actorOf(req), req.params.messageId, req.body),
  );
  r.get(
    '/api/v1/sync',
    {
      config: { access },
      schema: {
        tags: ['sync'],
        security,
        summary: 'Every kept event after a cursor, across my conversations',
        description:
          'Call again with the returned `cursor` while `hasMore`. `since` is `conversationId:seq,…` for clients that track positions themselves.',
        querystring: SyncQuerySchema,
        response: { 200: SyncResultSchema, ...problems },
      },
    },
    async (req) =>
      svc.sync.sync(actorOf(req), {
        cursor: req.query.cursor,
        since: parseSinceParam(req.query.since),
        limit: req.query.limit,
      }),
  );
}
