import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Database } from '../../platform/db/database.js';
import { type ConversationRow, conversationsRepo, type EventRow, inTransaction } from './conversations.repo.js';
import { type MessageRow, messagesRepo } from './messages.repo.js';

/** What became of one send in a batch. */
export type SendOutcome =
  | { kind: 'created'; row: MessageRow; event: EventRow; conversationKind: ConversationRow['kind'] }
  | { kind: 'duplicate' };

interface Pending {
  row: MessageRow;
  /** The sender, as the after-commit listeners will see them (stored in the outbox with the message). */
  actor: string;
  resolve(outcome: SendOutcome): void;
  reject(err: unknown): void;
}

/** Most sends one transaction takes. */
const MAX_BATCH = 200;

/**
 * Group commit for sends, per conversation. A conversation's seq is handed out under its row lock, so its
 * writes commit one at a time; one commit per message would cap a busy conversation at one disk flush per
 * message. Sends that queue up on this node while a commit is in flight go together in the next
 * transaction: lock the row, drop duplicates (committed before, or twice in this batch) and non-members,
 * number the rest in arrival order, insert them, move `lastSeq`, commit once. Other nodes' writers wait on
 * the same row lock, so the duplicate check under the lock is authoritative; the unique constraint stays
 * as the last guard (a violation fails the batch, and each send is then retried on its own).
 */
export function sendBatcher(database: Database, now: () => number) {
  const queues = new Map<string, Pending[]>();

  async function commit(orgId: string, conversationId: string, batch: Pending[]): Promise<(SendOutcome | AppError)[]> {
    const at = now();
    return inTransaction(database, async (tx) => {
      const conv = conversationsRepo(tx);
      const msgs = messagesRepo(tx);
      const locked = await conv.lockForWrite(orgId, conversationId, at);
      if (locked === undefined) return batch.map(() => new AppError('not_found', 'no such conversation'));
      let seq = locked.lastSeq;
      const members = await conv.memberIdsAmong(orgId, conversationId, [...new Set(batch.map((p) => p.row.senderId))]);
      const taken = await msgs.existingClientMsgIds(
        orgId,
        conversationId,
        batch.map((p) => p.row),
      );
      const rows: MessageRow[] = [];
      const events: EventRow[] = [];
      const outcomes = batch.map((p): SendOutcome | AppError => {
        // Membership removed since the caller's check: refused like any non-member.
        if (!members.has(p.row.senderId)) return new AppError('not_found', 'no such conversation');
        const key = `${p.row.senderId}:${p.row.clientMsgId}`;
        if (taken.has(key)) return { kind: 'duplicate' };
        taken.add(key);
        seq += 1;
        const row = { ...p.row, seq, createdAt: at };
        const event: EventRow = {
          conversationId,
          seq,
          orgId,
          type: 'message.created',
          actorId: row.senderId,
          messageId: row.id,
          data: null,
          createdAt: at,
        };
        rows.push(row);
        events.push(event);
        return { kind: 'created', row, event, conversationKind: locked.kind };
      });
      if (rows.length) {
        await msgs.insertMany(rows);
        const actorOf = new Map(batch.map((p) => [p.row.id, p.actor]));
        await msgs.insertOutbox(
          rows.map((r) => ({
            messageId: r.id,
            orgId,
            conversationId,
            actor: actorOf.get(r.id) ?? '{}',
            createdAt: at,
          })),
        );
        await conv.insertEvents(events);
        await conv.setLastSeq(orgId, conversationId, seq, at);
      }
      return outcomes;
    });
  }

  async function drain(orgId: string, conversationId: string): Promise<void> {
    for (;;) {
      const queue = queues.get(conversationId);
      if (!queue || queue.length === 0) {
        queues.delete(conversationId);
        return;
      }
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await commit(orgId, conversationId, batch);
        batch.forEach((p, i) => {
          const o = outcomes[i];
          if (o instanceof AppError) p.reject(o);
          else if (o) p.resolve(o);
        });
      } catch (err) {
        if (batch.length === 1) batch[0]?.reject(err);
        // One bad send must not fail its neighbours: retry each alone.
        else
          for (const p of batch)
            commit(orgId, conversationId, [p]).then(
              ([o]) => (o instanceof AppError ? p.reject(o) : o && p.resolve(o)),
              p.reject,
            );
      }
    }
  }

  return {
    /** Queue a send; resolves after the transaction holding it committed. */
    submit(orgId: string, row: MessageRow, actor: Actor): Promise<SendOutcome> {
      return new Promise((resolve, reject) => {
        const queue = queues.get(row.conversationId);
        const pending = { row, actor: JSON.stringify(actor), resolve, reject };
        if (queue) {
          queue.push(pending);
          return;
        }
        queues.set(row.conversationId, [pending]);
        void drain(orgId, row.conversationId);
      });
    },
  };
}
export type SendBatcher = ReturnType<typeof sendBatcher>;
