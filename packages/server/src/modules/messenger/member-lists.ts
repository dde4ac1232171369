import type { Kysely } from 'kysely';
import { compiledQuery } from '../../platform/db/compiled-query.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../schema.js';
import { conversationsRepo } from './conversations.repo.js';

/** One conversation's members (user ids). */
export interface Members {
  readonly ids: readonly string[];
  has(userId: string): boolean;
}

/** The two membership questions every send asks: is the sender a member, and who else is there. */
export interface MemberLists {
  /** The members of each of the org's conversations (none for a conversation that is not there). */
  of(db: Kysely<DB>, orgId: string, conversationIds: readonly string[]): Promise<Map<string, Members>>;
  /** Which (conversation, user) pairs are memberships, as `conversationId:userId`. */
  among(
    db: Kysely<DB>,
    orgId: string,
    pairs: readonly { conversationId: string; userId: string }[],
  ): Promise<Set<string>>;
}

/** Most conversations whose lists are kept; past it the oldest kept list goes. */
const MAX_LISTS = 20_000;

const changeCount = compiledQuery((db, _v: Record<string, never>) =>
  db.selectFrom('memberChanges').select('n').where('id', '=', 1),
);

function members(ids: readonly string[]): Members {
  // A set only for the long lists, made at the first question.
  let set: Set<string> | undefined;
  return {
    ids,
    has(userId) {
      if (ids.length <= 16) return ids.includes(userId);
      set ??= new Set(ids);
      return set.has(userId);
    },
  };
}

function pairsFrom(lists: Map<string, Members>, pairs: readonly { conversationId: string; userId: string }[]) {
  const out = new Set<string>();
  for (const { conversationId, userId } of pairs) {
    if (lists.get(conversationId)?.has(userId)) out.add(`${conversationId}:${userId}`);
  }
  return out;
}

/** PostgreSQL: several nodes change memberships, so every question goes to the database. */
function askedEachTime(): MemberLists {
  return {
    async of(db, orgId, conversationIds) {
      const found = await conversationsRepo(db).memberIdsOf(orgId, conversationIds);
      return new Map([...found].map(([id, ids]) => [id, members(ids)]));
    },
    among: (db, orgId, pairs) => conversationsRepo(db).membershipsAmong(orgId, pairs),
  };
}

/**
 * SQLite: the lists stay in memory. A trigger counts every change to `conversation_members` (any statement, a
 * cascade, another process on the same file: migration `1120`); each question reads that count first and forgets
 * every list when it moved. A list read from the database is kept only if no newer count was seen meanwhile, so
 * what is kept is never older than the count it is kept under.
 */
function keptInMemory(): MemberLists {
  const lists = new Map<string, Members>();
  let keptAt: number | undefined;
  const key = (orgId: string, conversationId: string) => `${orgId}\n${conversationId}`;

  async function of(db: Kysely<DB>, orgId: string, conversationIds: readonly string[]) {
    const [row] = await changeCount(db, {});
    const count = Number(row?.n);
    if (count !== keptAt) {
      lists.clear();
      keptAt = count;
    }
    const out = new Map<string, Members>();
    const missing: string[] = [];
    for (const id of conversationIds) {
      const kept = lists.get(key(orgId, id));
      if (kept) out.set(id, kept);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    for (const [id, ids] of await conversationsRepo(db).memberIdsOf(orgId, missing)) {
      const m = members(ids);
      out.set(id, m);
      if (keptAt !== count) continue;
      if (lists.size >= MAX_LISTS) lists.delete(lists.keys().next().value as string);
      lists.set(key(orgId, id), m);
    }
    return out;
  }

  return {
    of,
    async among(db, orgId, pairs) {
      return pairsFrom(await of(db, orgId, [...new Set(pairs.map((p) => p.conversationId))]), pairs);
    },
  };
}

const byDatabase = new WeakMap<Database, MemberLists>();

/** The member lists of `database`: one per database, shared by the send batcher and the after-commit work. */
export function memberListsOf(database: Database): MemberLists {
  let lists = byDatabase.get(database);
  if (!lists) {
    lists = database.dialect === 'sqlite' ? keptInMemory() : askedEachTime();
    byDatabase.set(database, lists);
  }
  return lists;
}
