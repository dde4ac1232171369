import type { MemberRole } from '@switchboard/protocol';
import { type Kysely, type Selectable, SqliteAdapter, sql } from 'kysely';
import { compiledQuery, inList } from '../../platform/db/compiled-query.js';
import type { DB } from '../../schema.js';
import type { ConversationMembersTable, ConversationsTable } from './messenger.tables.js';

export type ConversationRow = Selectable<ConversationsTable>;
export type MemberRow = Selectable<ConversationMembersTable>;

const UNIQUE_VIOLATION = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** A unique-constraint violation on either dialect (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
export function isUniqueViolation(err: unknown): boolean {
  return UNIQUE_VIOLATION.has(String((err as { code?: unknown })?.code));
}

// The statements of every send, compiled once per batch shape (how many conversations, pairs, rows).
const lockMany = compiledQuery((db, v: { orgId: string; ids: string[]; now: number }) =>
  db
    .updateTable('conversations')
    .set({ updatedAt: v.now })
    .where('orgId', '=', v.orgId)
    .where('id', 'in', v.ids)
    .returning(['id', 'lastSeq', 'kind']),
);
/**
 * `conversations.org_id` for statements that pick conversations by a list of ids. Without statistics SQLite's
 * planner answers `org_id = ? AND id IN (4 or more ids)` from the `(org_id, created_by)` index, i.e. visits
 * every conversation of the org, for every send batch; `+org_id` keeps the scope but leaves the term out of the
 * index choice, so the ids go through the primary key. PostgreSQL plans from statistics and gets the column.
 */
function orgOfIdList(db: Kysely<DB>) {
  return db.getExecutor().adapter instanceof SqliteAdapter
    ? sql<string>`+${sql.ref('orgId')}`
    : sql.ref<string>('orgId');
}

const seqsOfMany = compiledQuery((db, v: { orgId: string; ids: string[] }) =>
  db
    .selectFrom('conversations')
    .select(['id', 'lastSeq', 'kind'])
    .where(orgOfIdList(db), '=', v.orgId)
    .where('id', 'in', v.ids),
);
const setLastSeqs = compiledQuery((db, v: { orgId: string; seqs: [string, number][]; ids: string[]; now: number }) => {
  const cases = sql.join(
    v.seqs.map(([id, seq]) => sql`when ${id} then cast(${seq} as bigint)`),
    sql` `,
  );
  return db
    .updateTable('conversations')
    .set({ lastSeq: sql<number>`case ${sql.ref('id')} ${cases} end`, lastActivityAt: v.now, updatedAt: v.now })
    .where(orgOfIdList(db), '=', v.orgId)
    .where('id', 'in', v.ids);
});
const memberPairs = compiledQuery((db, v: { orgId: string; pairs: [string, string][] }) =>
  db
    .selectFrom('conversationMembers')
    .select(['conversationId', 'userId'])
    .where('orgId', '=', v.orgId)
    // Pairs, not two IN lists: those would probe every conversation × every user of a batch.
    .where((eb) =>
      eb(
        eb.refTuple('conversationId', 'userId'),
        'in',
        v.pairs.map(([c, u]) => eb.tuple(c, u)),
      ),
    ),
);
const membersOfMany = compiledQuery((db, v: { orgId: string; conversationIds: string[] }) =>
  db
    .selectFrom('conversationMembers')
    .select(['conversationId', 'userId'])
    .where('orgId', '=', v.orgId)
    .where('conversationId', 'in', v.conversationIds),
);

/** The last seq and kind of each conversation a send batch writes to, by id. */
function writeTargets(rows: readonly Pick<ConversationRow, 'id' | 'lastSeq' | 'kind'>[]) {
  return new Map(rows.map((r) => [r.id, { lastSeq: Number(r.lastSeq), kind: r.kind }]));
}

/**
 * Conversations and members (the event log: conversation-events.repo.ts). Every query is scoped by orgId. `db` may be a transaction, so
 * the services compose these calls inside one commit.
 */
export function conversationsRepo(db: Kysely<DB>) {
  return {
    async insert(row: ConversationRow): Promise<void> {
      await db.insertInto('conversations').values(row).execute();
    },
    async find(orgId: string, id: string): Promise<ConversationRow | undefined> {
      return db
        .selectFrom('conversations')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** The conversation and the user's membership in one round trip; undefined when not a member. */
    async findWithMember(
      orgId: string,
      id: string,
      userId: string,
    ): Promise<{ conversation: ConversationRow; member: MemberRow } | undefined> {
      const row = await db
        .selectFrom('conversations as c')
        .innerJoin('conversationMembers as m', (j) =>
          j.onRef('m.conversationId', '=', 'c.id').on('m.userId', '=', userId),
        )
        .selectAll('c')
        .select(['m.role', 'm.lastReadSeq', 'm.joinedAt'])
        .where('c.orgId', '=', orgId)
        .where('c.id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      const { role, lastReadSeq, joinedAt, ...conversation } = row;
      return { conversation, member: { conversationId: id, userId, orgId, role, lastReadSeq, joinedAt } };
    },
    async findDirect(orgId: string, directKey: string): Promise<ConversationRow | undefined> {
      return db
        .selectFrom('conversations')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('directKey', '=', directKey)
        .executeTakeFirst();
    },
    async setName(orgId: string, id: string, name: string): Promise<void> {
      await db.updateTable('conversations').set({ name }).where('orgId', '=', orgId).where('id', '=', id).execute();
    },
    async setStatus(orgId: string, id: string, status: string): Promise<void> {
      await db.updateTable('conversations').set({ status }).where('orgId', '=', orgId).where('id', '=', id).execute();
    },

    /**
     * Take the conversation's next seq. The UPDATE row-locks the conversation on PostgreSQL until commit, so
     * concurrent writers queue here and seqs commit in order without gaps; a rollback returns the number.
     */
    async nextSeq(orgId: string, id: string, now: number, memberId?: string): Promise<number | undefined> {
      let q = db
        .updateTable('conversations')
        .set((eb) => ({ lastSeq: eb('lastSeq', '+', 1), lastActivityAt: now, updatedAt: now }))
        .where('orgId', '=', orgId)
        .where('id', '=', id);
      // Membership checked in the same statement that takes the lock: one round trip less while holding it.
      if (memberId) {
        q = q.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('conversationMembers')
              .select('userId')
              .where('conversationMembers.conversationId', '=', id)
              .where('conversationMembers.userId', '=', memberId),
          ),
        );
      }
      const row = await q.returning('lastSeq').executeTakeFirst();
      return row ? Number(row.lastSeq) : undefined;
    },
    /**
     * Take the conversation's row lock without using a seq (a batch of sends numbers its messages itself
     * and ends with `setLastSeq`); returns the current lastSeq.
     */
    /** Lock the row for this transaction's writes; its last seq and kind (undefined: no such conversation). */
    async lockForWrite(
      orgId: string,
      id: string,
      now: number,
    ): Promise<{ lastSeq: number; kind: ConversationRow['kind'] } | undefined> {
      const row = await db
        .updateTable('conversations')
        .set({ updatedAt: now })
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .returning(['lastSeq', 'kind'])
        .executeTakeFirst();
      return row ? { lastSeq: Number(row.lastSeq), kind: row.kind } : undefined;
    },
    /**
     * `lockForWrite` for several conversations in one statement (the send batcher's group commit): those
     * found, by id. PostgreSQL locks the rows in the index's (id) order, the same for every writer.
     */
    async lockManyForWrite(
      orgId: string,
      ids: readonly string[],
      now: number,
    ): Promise<Map<string, { lastSeq: number; kind: ConversationRow['kind'] }>> {
      const rows = await lockMany(db, { orgId, ids: [...ids], now });
      return writeTargets(rows);
    },
    /**
     * `lockManyForWrite` where the database has one writer (SQLite): the transaction holds the write lock from
     * its first write on, and a write of another connection in between fails that first write instead of being
     * overwritten (WAL: SQLITE_BUSY_SNAPSHOT; the batch is then retried), so a read is enough.
     */
    async lastSeqsForWrite(
      orgId: string,
      ids: readonly string[],
    ): Promise<Map<string, { lastSeq: number; kind: ConversationRow['kind'] }>> {
      const rows = await seqsOfMany(db, { orgId, ids: [...ids] });
      return writeTargets(rows);
    },
    /** Move several conversations' last seq (and activity) in one statement. */
    async setLastSeqMany(orgId: string, lastSeqs: ReadonlyMap<string, number>, now: number): Promise<void> {
      if (lastSeqs.size === 0) return;
      await setLastSeqs(db, { orgId, seqs: [...lastSeqs], ids: [...lastSeqs.keys()], now });
    },
    /** Which (conversation, user) pairs are memberships, as `conversationId:userId`. */
    async membershipsAmong(
      orgId: string,
      pairs: readonly { conversationId: string; userId: string }[],
    ): Promise<Set<string>> {
      if (pairs.length === 0) return new Set();
      const rows = await memberPairs(db, { orgId, pairs: pairs.map((p) => [p.conversationId, p.userId]) });
      return new Set(rows.map((r) => `${r.conversationId}:${r.userId}`));
    },
    async setLastSeq(orgId: string, id: string, lastSeq: number, now: number): Promise<void> {
      await db
        .updateTable('conversations')
        .set({ lastSeq, lastActivityAt: now, updatedAt: now })
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .execute();
    },
    /** Which of `userIds` are members. */
    async memberIdsAmong(orgId: string, conversationId: string, userIds: readonly string[]): Promise<Set<string>> {
      if (userIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('conversationMembers')
        .select('userId')
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('userId', 'in', [...userIds])
        .execute();
      return new Set(rows.map((r) => r.userId));
    },
    async member(orgId: string, conversationId: string, userId: string): Promise<MemberRow | undefined> {
      return db
        .selectFrom('conversationMembers')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('userId', '=', userId)
        .executeTakeFirst();
    },
    async members(orgId: string, conversationId: string): Promise<MemberRow[]> {
      return db
        .selectFrom('conversationMembers')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .orderBy('joinedAt', 'asc')
        .orderBy('userId', 'asc')
        .execute();
    },
    /** Only the members' user ids of each conversation, in no particular order (after-commit work). */
    async memberIdsOf(orgId: string, conversationIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>(conversationIds.map((id) => [id, []]));
      if (conversationIds.length === 0) return out;
      for (const r of await membersOfMany(db, { orgId, conversationIds: inList([...new Set(conversationIds)]) })) {
        out.get(r.conversationId)?.push(r.userId);
      }
      return out;
    },
    async addMember(row: MemberRow): Promise<void> {
      await db.insertInto('conversationMembers').values(row).execute();
    },
    async removeMember(orgId: string, conversationId: string, userId: string): Promise<boolean> {
      const res = await db
        .deleteFrom('conversationMembers')
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('userId', '=', userId)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    async setRole(orgId: string, conversationId: string, userId: string, role: MemberRole): Promise<void> {
      await db
        .updateTable('conversationMembers')
        .set({ role })
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('userId', '=', userId)
        .execute();
    },
    /** Move the read position forward only; false when it was already at or past `seq`. */
    async advanceRead(orgId: string, conversationId: string, userId: string, seq: number): Promise<boolean> {
      const res = await db
        .updateTable('conversationMembers')
        .set({ lastReadSeq: seq })
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('userId', '=', userId)
        .where('lastReadSeq', '<', seq)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** How many members other than `exceptUserId` have read up to `seq`. */
    async readersAtLeast(orgId: string, conversationId: string, seq: number, exceptUserId: string): Promise<number> {
      const row = await db
        .selectFrom('conversationMembers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('userId', '!=', exceptUserId)
        .where('lastReadSeq', '>=', seq)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** The caller's conversations with their position, for sync and for joining rooms. */
    async membershipsOf(orgId: string, userId: string): Promise<{ conversationId: string; lastSeq: number }[]> {
      const rows = await db
        .selectFrom('conversationMembers as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversationId')
        .select(['m.conversationId', 'c.lastSeq'])
        .where('m.userId', '=', userId)
        .where('m.orgId', '=', orgId)
        .orderBy('m.conversationId', 'asc')
        .execute();
      return rows.map((r) => ({ conversationId: r.conversationId, lastSeq: Number(r.lastSeq) }));
    },

    /** One page of the caller's conversations, newest activity first, keyset-paged on (lastActivityAt, id). */
    async listFor(
      orgId: string,
      userId: string,
      limit: number,
      after?: { lastActivityAt: number; id: string },
      scope: 'all' | 'messenger' | 'support' = 'all',
    ): Promise<(ConversationRow & { lastReadSeq: number; memberCount: number })[]> {
      let q = db
        .selectFrom('conversationMembers as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversationId')
        .selectAll('c')
        .select('m.lastReadSeq')
        .select((eb) =>
          eb
            .selectFrom('conversationMembers as mm')
            .select((e2) => e2.fn.countAll<number>().as('n'))
            .whereRef('mm.conversationId', '=', 'c.id')
            .as('memberCount'),
        )
        .where('m.userId', '=', userId)
        .where('m.orgId', '=', orgId);
      if (scope === 'messenger') q = q.where('c.kind', '<>', 'support');
      if (scope === 'support') q = q.where('c.kind', '=', 'support');
      if (after) {
        q = q.where((eb) =>
          eb.or([
            eb('c.lastActivityAt', '<', after.lastActivityAt),
            eb.and([eb('c.lastActivityAt', '=', after.lastActivityAt), eb('c.id', '<', after.id)]),
          ]),
        );
      }
      const rows = await q.orderBy('c.lastActivityAt', 'desc').orderBy('c.id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ ...r, lastReadSeq: Number(r.lastReadSeq), memberCount: Number(r.memberCount) }));
    },

    /**
     * The org's support conversations, newest activity first, optionally only those in `statuses` or only
     * those a customer (`createdBy`) started.
     */
    async listSupport(
      orgId: string,
      limit: number,
      statuses?: readonly string[],
      createdBy?: string,
    ): Promise<ConversationRow[]> {
      let q = db.selectFrom('conversations').selectAll().where('orgId', '=', orgId).where('kind', '=', 'support');
      if (statuses) q = q.where('status', 'in', [...statuses]);
      if (createdBy) q = q.where('createdBy', '=', createdBy);
      return q.orderBy('lastActivityAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },
  };
}
export type ConversationsRepo = ReturnType<typeof conversationsRepo>;
