import {
  type CreateSupportNote,
  HistoryPageSchema,
  type HistoryQuery,
  agentToolRouteDefs as routes,
  SupportInboxSchema,
  type SupportRouting,
  SupportStateSchema,
  type SupportStatus,
  supportRouteDefs,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

const base = (conversationId: string) => `/api/v1/support/${conversationId}`;

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
  inbox: (
    query: {
      status?: SupportStatus;
      mine?: boolean;
      limit?: number;
      label?: string;
      assignee?: 'me' | 'unassigned' | (string & {});
      channel?: 'widget' | 'account';
      /** Only this customer's conversations (their user id). */
      customer?: string;
    } = {},
  ) =>
    call('GET', '/api/v1/support', SupportInboxSchema, {
      query: {
        status: query.status,
        mine: query.mine ? 'true' : undefined,
        limit: query.limit,
        label: query.label,
        assignee: query.assignee,
        channel: query.channel,
        customer: query.customer,
      },
    }),
  /** Staff: put a label on the conversation; answers its labels now. */
  addLabel: (conversationId: string, labelId: string) =>
    callRoute(call, routes.addLabel, { params: { conversationId, labelId } }),
  /** Staff: take a label off the conversation. */
  removeLabel: (conversationId: string, labelId: string) =>
    callRoute(call, routes.removeLabel, { params: { conversationId, labelId } }),
  /** Staff: a conversation's messages before joining it. */
  history: (conversationId: string, query: Partial<HistoryQuery> = {}) =>
    call('GET', `${base(conversationId)}/messages`, HistoryPageSchema, { query }),
  state: (conversationId: string) => call('GET', base(conversationId), SupportStateSchema),
  /** Ask for a person (customer or staff). */
  handoff: async (conversationId: string): Promise<void> => {
    await call('POST', `${base(conversationId)}/handoff`, null);
  },
  take: async (conversationId: string): Promise<void> => {
    await call('POST', `${base(conversationId)}/take`, null);
  },
  transfer: async (conversationId: string, agentId: string): Promise<void> => {
    await call('POST', `${base(conversationId)}/transfer`, null, { body: { agentId } });
  },
  resolve: async (conversationId: string): Promise<void> => {
    await call('POST', `${base(conversationId)}/resolve`, null);
  },
  reopen: async (conversationId: string): Promise<void> => {
    await call('POST', `${base(conversationId)}/reopen`, null);
  },
  /** Staff: the conversation's private notes and AI summaries, oldest first (never shown to the customer). */
  notes: async (conversationId: string) =>
    (await callRoute(call, routes.listNotes, { params: { conversationId } })).items,
  /**
   * Staff: add a private note for colleagues; it reaches the org's staff live (`support.note`).
   *
   * @example
   * ```ts
   * await client.api.support.addNote(conversationId, { text: 'Waiting for the order number.' });
   * ```
   */
  addNote: (conversationId: string, note: CreateSupportNote) =>
    callRoute(call, routes.addNote, { params: { conversationId }, body: note }),
  /** Staff: whether I take chats from the human queue (agents always; supervisors and admins opt in). */
  routing: () => callRoute(call, supportRouteDefs.routing),
  setRouting: (routing: SupportRouting) => callRoute(call, supportRouteDefs.setRouting, { body: routing }),
  /** Customer: rate the conversation 1–5. */
  csat: async (conversationId: string, score: number): Promise<void> => {
    await call('POST', `${base(conversationId)}/csat`, null, { body: { score } });
  },
});
