import { type AddMembers, type CreateConversation, messengerRouteDefs as routes } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * My conversations: list, read, start, rename, add members to and leave them.
 *
 * @example
 * ```ts
 * const { items } = await client.api.conversations.list({ scope: 'messenger' });
 * const { conversation } = await client.api.conversations.create({ kind: 'direct', userId });
 * ```
 */
export const conversationsApi = (call: RestCall) => ({
  /** My conversations, newest activity first; `scope: 'messenger'` leaves out support conversations. */
  list: (query: { limit?: number; cursor?: string; scope?: 'all' | 'messenger' | 'support' } = {}) =>
    callRoute(call, routes.listConversations, { query }),
  get: (id: string) => callRoute(call, routes.getConversation, { params: { conversationId: id } }),
  create: (body: CreateConversation) => callRoute(call, routes.startConversation, { body }),
  rename: (id: string, name: string) =>
    callRoute(call, routes.renameConversation, { params: { conversationId: id }, body: { name } }),
  addMembers: (id: string, body: AddMembers) =>
    callRoute(call, routes.addConversationMembers, { params: { conversationId: id }, body }),
  /**
   * Leave a group or support conversation (`DELETE /api/v1/conversations/{id}`, the same call as
   * `POST …/leave`). Example: `await client.api.conversations.leave(conversationId)`.
   */
  leave: (id: string) => callRoute(call, routes.leaveConversation, { params: { conversationId: id } }),
});
