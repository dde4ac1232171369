import {
  agentToolRouteDefs,
  type CreateSupportNote,
  type HistoryQuery,
  assistantRouteDefs as routes,
  type SupportInboxQuery,
  type SupportRouting,
  supportRouteDefs,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/** The inbox filters as the table's query has them, but `mine` a boolean and `limit` a number. */
type InboxQuery = Omit<SupportInboxQuery, 'mine' | 'limit'> & { mine?: boolean; limit?: number };

/**
 * The contact center's conversations (`/api/v1/support/…`): the staff inbox and history, a conversation's
 * status and queue place, asking for a person, and the staff actions take / transfer / resolve / reopen;
 * the customer rates a resolved conversation with `csat`.
 *
 * @example
 * ```ts
 * const { items, me } = await client.api.support.inbox({ status: 'human_requested' });
 * await client.api.support.take(items[0].conversation.id);
 * const { status, queuePosition } = await client.api.support.state(conversationId); // as the customer
 * ```
 */
export const supportApi = (call: RestCall) => ({
  /** Staff: support conversations by status (or assigned to me), with my load against the capacity. */
  inbox: (query: InboxQuery = {}) =>
    callRoute(call, routes.supportInbox, { query: { ...query, mine: query.mine ? 'true' : undefined } }),
  /** Staff: put a label on the conversation; answers its labels now. */
  addLabel: (conversationId: string, labelId: string) =>
    callRoute(call, agentToolRouteDefs.addLabel, { params: { conversationId, labelId } }),
  /** Staff: take a label off the conversation. */
  removeLabel: (conversationId: string, labelId: string) =>
    callRoute(call, agentToolRouteDefs.removeLabel, { params: { conversationId, labelId } }),
  /** Staff: a conversation's messages before joining it. */
  history: (conversationId: string, query: Partial<HistoryQuery> = {}) =>
    callRoute(call, routes.supportHistory, { params: { conversationId }, query }),
  state: (conversationId: string) => callRoute(call, routes.supportState, { params: { conversationId } }),
  /** Ask for a person (customer or staff). */
  handoff: async (conversationId: string): Promise<void> => {
    await callRoute(call, routes.handoff, { params: { conversationId } });
  },
  take: async (conversationId: string): Promise<void> => {
    await callRoute(call, routes.take, { params: { conversationId } });
  },
  transfer: async (conversationId: string, agentId: string): Promise<void> => {
    await callRoute(call, routes.transfer, { params: { conversationId }, body: { agentId } });
  },
  resolve: async (conversationId: string): Promise<void> => {
    await callRoute(call, routes.resolve, { params: { conversationId } });
  },
  reopen: async (conversationId: string): Promise<void> => {
    await callRoute(call, routes.reopen, { params: { conversationId } });
  },
  /** Staff: the conversation's private notes and AI summaries, oldest first (never shown to the customer). */
  notes: async (conversationId: string) =>
    (await callRoute(call, agentToolRouteDefs.listNotes, { params: { conversationId } })).items,
  /**
   * Staff: add a private note for colleagues; it reaches the org's staff live (`support.note`).
   *
   * @example
   * ```ts
   * await client.api.support.addNote(conversationId, { text: 'Waiting for the order number.' });
   * ```
   */
  addNote: (conversationId: string, note: CreateSupportNote) =>
    callRoute(call, agentToolRouteDefs.addNote, { params: { conversationId }, body: note }),
  /** Staff: whether I take chats from the human queue (agents always; supervisors and admins opt in). */
  routing: () => callRoute(call, supportRouteDefs.routing),
  setRouting: (routing: SupportRouting) => callRoute(call, supportRouteDefs.setRouting, { body: routing }),
  /** Customer: rate the conversation 1–5. */
  csat: async (conversationId: string, score: number): Promise<void> => {
    await callRoute(call, routes.csat, { params: { conversationId }, body: { score } });
  },
});
