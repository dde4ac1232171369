import type { Message, Reaction } from '@switchboard/protocol';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { compiledInsert, compiledQuery, inList } from '../../platform/db/compiled-query.js';
import type { DB } from '../../schema.js';
import type { MessageOutboxTable, MessagesTable } from './messenger.tables.js';

export type MessageRow = Selectable<MessagesTable>;

export function toMessage(row: MessageRow, reactions: Reaction[]): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: Number(row.seq),
    senderId: row.senderId,
    clientMsgId: row.clientMsgId,
    text: row.text,
    replyToId: row.replyToId,
    createdAt: Number(row.createdAt),
    editedAt: row.editedAt === null ? null : Number(row.editedAt),
    deletedAt: row.deletedAt === null ? null : Number(row.deletedAt),
    reactions,
    ...(row.attachments ? { attachments: JSON.parse(row.attachments) as Message['attachments'] } : {}),
  };
}

export type OutboxRow = Insertable<MessageOutboxTable>;

// The statements of every send, compiled once per batch shape (how many rows, sends, ids).
// A batch's messages land on a page per conversation in each index: one statement per row on SQLite.
const insertRows = compiledInsert((db, rows: MessageRow[]) => db.insertInto('messages').values(rows));
// The outbox's keys only grow, so its rows land on a few pages: one statement for all is cheaper there.
const insertOutboxRows = compiledQuery((db, v: { rows: OutboxRow[] }) => db.insertInto('messageOutbox').values(v.rows));
const deleteOutboxRows = compiledQuery((db, v: { ids: string[] }) =>
  db.deleteFrom('messageOutbox').where('messageId', 'in', v.ids),
);
const storedSends = compiledQuery((db, v: { orgId: string; sends: [string, string, string][] }) =>
  db
    .selectFrom('messages')
    .select(['conversationId', 'senderId', 'clientMsgId'])
    .where('orgId', '=', v.orgId)
    .where((eb) =>
      eb(
        eb.refTuple('conversationId', 'senderId', 'clientMsgId'),
        'in',
        v.sends.map(([c, s, m]) => eb.tuple(c, s, m)),
      ),
    ),
);

/** Messages, their edit history and reactions. Every query is scoped by orgId; `db` may be a transaction. */
export function messagesRepo(db: Kysely<DB>) {
  async function withReactions(rows: MessageRow[]): Promise<Message[]> {
    if (rows.length === 0) return [];
    const reactions = await db
      .selectFrom('messageReactions')
      .select(['messageId', 'emoji', 'userId'])
      .where(
        'messageId',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('createdAt', 'asc')
      .orderBy('userId', 'asc')
      .execute();
    const byMessage = new Map<string, Map<string, string[]>>();
    for (const r of reactions) {
      const emojis = byMessage.get(r.messageId) ?? new Map<string, string[]>();
      byMessage.set(r.messageId, emojis);
      emojis.set(r.emoji, [...(emojis.get(r.emoji) ?? []), r.userId]);
    }
    return rows.map((row) =>
      toMessage(
        row,
        [...(byMessage.get(row.id) ?? new Map<string, string[]>())].map(([emoji, userIds]) => ({
          emoji,
          count: userIds.length,
          userIds,
        })),
      ),
    );
  }

  return {
    withReactions,
    async insertMany(rows: MessageRow[]): Promise<void> {
      await insertRows(db, rows);
    },
    /** Record the after-commit work of new messages (same transaction as the messages). */
    async insertOutbox(rows: OutboxRow[]): Promise<void> {
      if (rows.length) await insertOutboxRows(db, { rows });
    },
    async deleteOutbox(messageId: string): Promise<void> {
      await deleteOutboxRows(db, { ids: [messageId] });
    },
    /** Outbox entries older than `before`, of every org: the background drain's work a crashed run left. */
    async staleOutbox(before: number, limit: number) {
      return db
        .selectFrom('messageOutbox')
        .selectAll()
        .where('createdAt', '<', before)
        .orderBy('createdAt')
        .limit(limit)
        .execute();
    },
    /** Which of these sends are stored already, as `conversationId:senderId:clientMsgId`. */
    async existingSends(
      orgId: string,
      sends: readonly { conversationId: string; senderId: string; clientMsgId: string }[],
    ): Promise<Set<string>> {
      if (sends.length === 0) return new Set();
      const rows = await storedSends(db, {
        orgId,
        sends: sends.map((p) => [p.conversationId, p.senderId, p.clientMsgId]),
      });
      return new Set(rows.map((r) => `${r.conversationId}:${r.senderId}:${r.clientMsgId}`));
    },
    /** Drop the outbox rows of messages whose after-commit work is done, in one statement. */
    async deleteOutboxMany(messageIds: readonly string[]): Promise<void> {
      if (messageIds.length) await deleteOutboxRows(db, { ids: inList(messageIds) });
    },
    async find(orgId: string, id: string): Promise<MessageRow | undefined> {
      return db.selectFrom('messages').selectAll().where('orgId', '=', orgId).where('id', '=', id).executeTakeFirst();
    },
    async findByClientMsgId(
      orgId: string,
      conversationId: string,
      senderId: string,
      clientMsgId: string,
    ): Promise<MessageRow | undefined> {
      return db
        .selectFrom('messages')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('senderId', '=', senderId)
        .where('clientMsgId', '=', clientMsgId)
        .executeTakeFirst();
    },
    async byIds(orgId: string, ids: readonly string[]): Promise<Message[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('id', 'in', [...ids])
        .execute();
      return withReactions(rows);
    },
    /** One page of history: `before` newest first, `after` oldest first; `limit + 1` rows tell hasMore. */
    async page(
      orgId: string,
      conversationId: string,
      q: { before?: number; after?: number; limit: number },
    ): Promise<Message[]> {
      let query = db
        .selectFrom('messages')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId);
      if (q.after !== undefined) query = query.where('seq', '>', q.after).orderBy('seq', 'asc');
      else {
        if (q.before !== undefined) query = query.where('seq', '<', q.before);
        query = query.orderBy('seq', 'desc');
      }
      return withReactions(await query.limit(q.limit).execute());
    },
    async last(orgId: string, conversationId: string): Promise<Message | null> {
      const rows = await db
        .selectFrom('messages')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .orderBy('seq', 'desc')
        .limit(1)
        .execute();
      return (await withReactions(rows))[0] ?? null;
    },
    /** Others' live messages after the reader's position. */
    async unreadCount(orgId: string, conversationId: string, userId: string, afterSeq: number): Promise<number> {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('seq', '>', afterSeq)
        .where('senderId', '!=', userId)
        .where('deletedAt', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** Per sender (other than the reader), their newest live message in (from, to]. */
    async latestBySenderBetween(
      orgId: string,
      conversationId: string,
      readerId: string,
      from: number,
      to: number,
    ): Promise<{ senderId: string; seq: number }[]> {
      const rows = await db
        .selectFrom('messages')
        .select(['senderId', (eb) => eb.fn.max('seq').as('seq')])
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('seq', '>', from)
        .where('seq', '<=', to)
        .where('senderId', '!=', readerId)
        .where('deletedAt', 'is', null)
        .groupBy('senderId')
        .execute();
      return rows.map((r) => ({ senderId: r.senderId, seq: Number(r.seq) }));
    },
    async setText(orgId: string, id: string, text: string, editedAt: number): Promise<void> {
      await db
        .updateTable('messages')
        .set({ text, editedAt })
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .execute();
    },
    async addEdit(messageId: string, previousText: string, editedAt: number): Promise<void> {
      await db.insertInto('messageEdits').values({ messageId, text: previousText, editedAt }).execute();
    },
    async edits(messageId: string): Promise<{ text: string; editedAt: number }[]> {
      const rows = await db
        .selectFrom('messageEdits')
        .select(['text', 'editedAt'])
        .where('messageId', '=', messageId)
        .orderBy('editedAt', 'asc')
        .execute();
      return rows.map((r) => ({ text: r.text, editedAt: Number(r.editedAt) }));
    },
    /** Tombstone: the text, its history and reactions go; the row and its seq stay. */
    async tombstone(orgId: string, id: string, deletedAt: number): Promise<void> {
      await db
        .updateTable('messages')
        .set({ text: null, deletedAt, attachments: null })
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .execute();
      await db.deleteFrom('messageEdits').where('messageId', '=', id).execute();
      await db.deleteFrom('messageReactions').where('messageId', '=', id).execute();
    },
    /** Add or remove one reaction; false when nothing changed. */
    async react(messageId: string, userId: string, emoji: string, on: boolean, now: number): Promise<boolean> {
      if (on) {
        const res = await db
          .insertInto('messageReactions')
          .values({ messageId, userId, emoji, createdAt: now })
          .onConflict((oc) => oc.columns(['messageId', 'emoji', 'userId']).doNothing())
          .executeTakeFirst();
        return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
      }
      const res = await db
        .deleteFrom('messageReactions')
        .where('messageId', '=', messageId)
        .where('userId', '=', userId)
        .where('emoji', '=', emoji)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
export type MessagesRepo = ReturnType<typeof messagesRepo>;
