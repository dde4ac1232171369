import {
  type Conversation,
  type HistoryPage,
  type HistoryQuery,
  HistoryQuerySchema,
  type Message,
} from '@switchboard/protocol';
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import { conversationsRepo } from './conversations.repo.js';
import { messagesRepo } from './messages.repo.js';
import { appendEvent, type MessengerDeps, publish, toConversation } from './messenger.shared.js';

/**
 * What the contact center (assistant, approvals, handoff) needs of support conversations beyond a member's
 * calls: read one as the system, move its status, bring staff (or the AI's user) in. Each change is a kept
 * conversation event, so clients that resume see it too.
 */
export function supportService(deps: MessengerDeps) {
  const { platform, notifier } = deps;
  const database = platform.database;
  const repo = conversationsRepo(database.db);

  async function get(orgId: string, conversationId: string): Promise<Conversation> {
    const row = await repo.find(orgId, conversationId);
    if (row?.kind !== 'support') throw new AppError('not_found', 'no such support conversation');
    return toConversation(row, await repo.members(orgId, conversationId));
  }

  return {
    get,

    /**
     * The org's support conversations for the staff inbox, newest activity first, each with its newest
     * message. A conversation that never changed status is still `open`: it counts as `ai_active`.
     */
    async list(
      orgId: string,
      opts: { status?: string; customer?: string; limit: number },
    ): Promise<{ conversation: Conversation; lastMessage: Message | null }[]> {
      const statuses = opts.status === 'ai_active' ? ['ai_active', 'open'] : opts.status ? [opts.status] : undefined;
      const rows = await repo.listSupport(orgId, opts.limit, statuses, opts.customer);
      const messages = messagesRepo(database.db);
      return Promise.all(
        rows.map(async (row) => ({
          conversation: toConversation(row, await repo.members(orgId, row.id)),
          lastMessage: await messages.last(orgId, row.id),
        })),
      );
    },

    /** A support conversation's history as staff read it before they join (no membership needed). */
    async history(
      orgId: string,
      conversationId: string,
      query: z.input<typeof HistoryQuerySchema> = {},
    ): Promise<HistoryPage> {
      await get(orgId, conversationId);
      const q: HistoryQuery = HistoryQuerySchema.parse(query);
      const rows = await messagesRepo(database.db).page(orgId, conversationId, { ...q, limit: q.limit + 1 });
      return { items: rows.slice(0, q.limit), hasMore: rows.length > q.limit };
    },

    /** Set the contact-center status (a `conversation.status` event); no event when it is unchanged. */
    async setStatus(orgId: string, conversationId: string, status: string, actorId: string): Promise<boolean> {
      const now = platform.clock.now();
      const event = await database.transaction(async (tx) => {
        const r = conversationsRepo(tx);
        const current = await r.find(orgId, conversationId);
        if (current?.kind !== 'support') throw new AppError('not_found', 'no such support conversation');
        if (current.status === status) return undefined;
        const e = await appendEvent(
          tx,
          orgId,
          conversationId,
          { type: 'conversation.status', actorId, data: { status } },
          now,
        );
        await r.setStatus(orgId, conversationId, status);
        return e;
      });
      if (event) await publish(deps, orgId, [event]);
      return event !== undefined;
    },

    /** Make `userId` a member (staff taking the conversation, or the org's AI user); idempotent. */
    async addMember(orgId: string, conversationId: string, userId: string, actorId: string): Promise<void> {
      await get(orgId, conversationId);
      const now = platform.clock.now();
      const event = await database.transaction(async (tx) => {
        const r = conversationsRepo(tx);
        if (await r.member(orgId, conversationId, userId)) return undefined;
        await r.addMember({ conversationId, userId, orgId, role: 'member', lastReadSeq: 0, joinedAt: now });
        return appendEvent(
          tx,
          orgId,
          conversationId,
          { type: 'member.joined', actorId, data: { userId, role: 'member' } },
          now,
        );
      });
      if (!event) return;
      notifier.join(conversationId, [userId]);
      await publish(deps, orgId, [event]);
    },
  };
}
export type SupportService = ReturnType<typeof supportService>;
