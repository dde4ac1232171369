import { type HistoryQuery, messengerRouteDefs as routes, type SendMessage, type Since } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/** `since` as the REST query carries it: `conversationId:seq,…`. */
function sinceParam(since: Since | undefined): string | undefined {
  if (!since) return undefined;
  const parts = Object.entries(since).map(([id, seq]) => `${id}:${seq}`);
  return parts.length ? parts.join(',') : undefined;
}

/** `call` with a per-call timeout, which `callRoute` does not carry. */
const withTimeout =
  (call: RestCall, timeoutMs: number | undefined): RestCall =>
  (method, path, schema, opts) =>
    call(method, path, schema, { ...opts, timeoutMs });

/**
 * Messages of my conversations: history, send, read, edit, delete, react, mark read.
 *
 * @example
 * ```ts
 * const { items } = await client.api.messages.history(conversationId, { limit: 20 });
 * await client.api.messages.markRead(conversationId, items[0].seq);
 * ```
 */
export const messagesApi = (call: RestCall) => ({
  history: (conversationId: string, query: Partial<HistoryQuery> = {}) =>
    callRoute(call, routes.messageHistory, { params: { conversationId }, query }),
  /** Send (idempotent on `clientMsgId`: a repeat answers the original with `duplicate: true`). */
  send: (conversationId: string, body: SendMessage, timeoutMs?: number) =>
    callRoute(withTimeout(call, timeoutMs), routes.sendMessage, { params: { conversationId }, body }),
  get: (id: string) => callRoute(call, routes.getMessage, { params: { messageId: id } }),
  edit: (id: string, text: string) =>
    callRoute(call, routes.editMessage, { params: { messageId: id }, body: { text } }),
  delete: (id: string) => callRoute(call, routes.deleteMessage, { params: { messageId: id } }),
  react: (id: string, emoji: string, on = true) =>
    callRoute(call, routes.reactToMessage, { params: { messageId: id }, body: { emoji, on } }),
  markRead: (conversationId: string, seq: number) =>
    callRoute(call, routes.markConversationRead, { params: { conversationId }, body: { seq } }),
});

/**
 * Every kept event after a cursor, across my conversations; call again with `cursor` while `hasMore`.
 *
 * @example
 * ```ts
 * const { events, cursor, hasMore } = await client.api.sync({ cursor: saved });
 * ```
 */
export const syncApi =
  (call: RestCall) => (req: { cursor?: string; since?: Since; limit?: number }, timeoutMs?: number) =>
    callRoute(withTimeout(call, timeoutMs), routes.sync, {
      query: { cursor: req.cursor, since: sinceParam(req.since), limit: req.limit },
    });
