import { z } from 'zod';
import { IdSchema } from './common.js';
import {
  AddMembersSchema,
  ConversationIdParamsSchema,
  ConversationListQuerySchema,
  ConversationListSchema,
  ConversationSchema,
  CreateConversationResultSchema,
  CreateConversationSchema,
  MemberParamsSchema,
  RenameConversationSchema,
} from './conversations.js';
import {
  EditMessageSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  MarkReadSchema,
  MessageEditsSchema,
  MessageSchema,
  ReactSchema,
  ReadStateSchema,
  SendMessageSchema,
  SendResultSchema,
} from './messages.js';
import { defineRoute } from './routes.js';
import { SyncQuerySchema, SyncResultSchema } from './sync.js';
import { ClientTelemetryAcceptedSchema, ClientTelemetryBatchSchema } from './telemetry.js';

/**
 * Params of `/api/v1/messages/:messageId` and the routes under it.
 *
 * @example
 * ```ts
 * MessageIdParamsSchema.parse({ messageId: 'c0ffee00-0000-4000-8000-000000000001' });
 * ```
 */
export const MessageIdParamsSchema = z.object({ messageId: IdSchema });

const access = 'authenticated' as const;
const conversation = { tags: ['conversations'], access } as const;
const message = { tags: ['messages'], access } as const;

/** Leaving a group or support conversation: the messenger document's `DELETE` and `POST …/leave`, one call. */
const leave = {
  ...conversation,
  summary: 'Leave a group or support conversation',
  params: ConversationIdParamsSchema,
  status: 204,
  response: null,
  errors: [400, 404],
} as const;

/**
 * The messenger's REST routes (conversations, messages, sync) and the client SDK's telemetry report, defined
 * once for the server and the SDK (see `defineRoute`). Any signed-in user; the services check membership.
 * Starting a conversation and sending a message answer 201, or 200 for an existing direct conversation or a
 * repeated clientMsgId (`repeatStatus`).
 */
export const messengerRouteDefs = {
  listConversations: defineRoute({
    ...conversation,
    method: 'GET',
    path: '/api/v1/conversations',
    summary: 'My conversations, newest activity first, with unread counts',
    query: ConversationListQuerySchema,
    status: 200,
    response: ConversationListSchema,
    errors: [400, 404],
  }),
  getConversation: defineRoute({
    ...conversation,
    method: 'GET',
    path: '/api/v1/conversations/:conversationId',
    summary: 'A conversation with its members',
    params: ConversationIdParamsSchema,
    status: 200,
    response: ConversationSchema,
    errors: [400, 404],
  }),
  renameConversation: defineRoute({
    ...conversation,
    method: 'PATCH',
    path: '/api/v1/conversations/:conversationId',
    summary: 'Rename a group (admins)',
    params: ConversationIdParamsSchema,
    body: RenameConversationSchema,
    status: 200,
    response: ConversationSchema,
    errors: [400, 404],
  }),
  addConversationMembers: defineRoute({
    ...conversation,
    method: 'POST',
    path: '/api/v1/conversations/:conversationId/members',
    summary: 'Add members to a group (admins)',
    params: ConversationIdParamsSchema,
    body: AddMembersSchema,
    status: 200,
    response: ConversationSchema,
    errors: [400, 404],
  }),
  removeConversationMember: defineRoute({
    ...conversation,
    method: 'DELETE',
    path: '/api/v1/conversations/:conversationId/members/:userId',
    summary: 'Remove a member (admins) or yourself',
    params: MemberParamsSchema,
    status: 204,
    response: null,
    errors: [400, 404],
  }),
  /** The SDK's `leave`. */
  leaveConversation: defineRoute({ ...leave, method: 'DELETE', path: '/api/v1/conversations/:conversationId' }),
  /** The same call as `leaveConversation`, under the path the SDK does not use. */
  leaveConversationByPost: defineRoute({
    ...leave,
    method: 'POST',
    path: '/api/v1/conversations/:conversationId/leave',
  }),
  startConversation: defineRoute({
    ...conversation,
    method: 'POST',
    path: '/api/v1/conversations',
    summary: 'Start a direct, group or support conversation',
    description: 'A direct conversation with someone you already have one with answers 200 with it (`created: false`).',
    body: CreateConversationSchema,
    status: 201,
    repeatStatus: 200,
    response: CreateConversationResultSchema,
    errors: [400, 404],
  }),
  sendMessage: defineRoute({
    ...message,
    method: 'POST',
    path: '/api/v1/conversations/:conversationId/messages',
    summary: 'Send a message (idempotent on clientMsgId)',
    description:
      'Answers after the message is stored: 201 when new, 200 with `duplicate: true` and the original for a repeated clientMsgId.',
    params: ConversationIdParamsSchema,
    body: SendMessageSchema,
    status: 201,
    repeatStatus: 200,
    response: SendResultSchema,
    errors: [400, 404, 413],
  }),
  messageHistory: defineRoute({
    ...message,
    method: 'GET',
    path: '/api/v1/conversations/:conversationId/messages',
    summary: 'History, paged by seq (newest first; `after` for oldest first)',
    params: ConversationIdParamsSchema,
    query: HistoryQuerySchema,
    status: 200,
    response: HistoryPageSchema,
    errors: [400, 404],
  }),
  markConversationRead: defineRoute({
    ...message,
    method: 'POST',
    path: '/api/v1/conversations/:conversationId/read',
    summary: 'Mark read up to seq (forward only)',
    params: ConversationIdParamsSchema,
    body: MarkReadSchema,
    status: 200,
    response: ReadStateSchema,
    errors: [400, 404],
  }),
  getMessage: defineRoute({
    ...message,
    method: 'GET',
    path: '/api/v1/messages/:messageId',
    summary: 'One message',
    params: MessageIdParamsSchema,
    status: 200,
    response: MessageSchema,
    errors: [400, 404],
  }),
  editMessage: defineRoute({
    ...message,
    method: 'PATCH',
    path: '/api/v1/messages/:messageId',
    summary: 'Edit your message (history kept)',
    params: MessageIdParamsSchema,
    body: EditMessageSchema,
    status: 200,
    response: MessageSchema,
    errors: [400, 404, 409],
  }),
  deleteMessage: defineRoute({
    ...message,
    method: 'DELETE',
    path: '/api/v1/messages/:messageId',
    summary: 'Delete a message (sender or group admin); answers the tombstone',
    params: MessageIdParamsSchema,
    status: 200,
    response: MessageSchema,
    errors: [400, 404],
  }),
  messageEdits: defineRoute({
    ...message,
    method: 'GET',
    path: '/api/v1/messages/:messageId/edits',
    summary: 'Earlier versions of an edited message',
    params: MessageIdParamsSchema,
    status: 200,
    response: MessageEditsSchema,
    errors: [400, 404],
  }),
  reactToMessage: defineRoute({
    ...message,
    method: 'POST',
    path: '/api/v1/messages/:messageId/reactions',
    summary: 'Add or remove a reaction',
    params: MessageIdParamsSchema,
    body: ReactSchema,
    status: 200,
    response: MessageSchema,
    errors: [400, 404, 409],
  }),
  sync: defineRoute({
    method: 'GET',
    path: '/api/v1/sync',
    summary: 'Every kept event after a cursor, across my conversations',
    description:
      'Call again with the returned `cursor` while `hasMore`. `since` is `conversationId:seq,…` for clients that track positions themselves.',
    tags: ['sync'],
    access,
    query: SyncQuerySchema,
    status: 200,
    response: SyncResultSchema,
    errors: [400, 404],
  }),
  reportTelemetry: defineRoute({
    method: 'POST',
    path: '/api/v1/telemetry',
    summary: 'Report client SDK counters (fallbacks, reconnects, send timeouts)',
    description:
      'Counts since the previous report, added to the Prometheus series `client_telemetry_events_total{event}`. ' +
      'At most 20 reports per session per minute (`rate_limited` beyond).',
    tags: ['telemetry'],
    access,
    body: ClientTelemetryBatchSchema,
    status: 202,
    response: ClientTelemetryAcceptedSchema,
    errors: [400, 429],
  }),
};
