import type { Task, TaskError } from '@switchboard/protocol';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { AppError } from '../../errors.js';
import type { DB } from '../../schema.js';
import { compiledQuery } from '../db/compiled-query.js';
import type { Database } from '../db/database.js';
import { writeBatcher } from '../db/write-batcher.js';
import { postgresClaim, sqliteClaim, startAttempt } from './claim-statement.js';
import type { JobsTable } from './jobs.tables.js';
import type { BulkFilter, ListFilter, PendingCounts } from './queue.js';

export type JobRow = Selectable<JobsTable>;

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

export function toTask(row: JobRow): Task {
  return {
    id: row.id,
    type: row.type,
    orgId: row.orgId,
    ownerId: row.ownerId,
    idempotencyKey: row.idempotencyKey,
    state: row.state,
    priority: row.priority,
    payload: parse(row.payload),
    progress: { percent: row.progressPercent, ...(row.progressMessage ? { message: row.progressMessage } : {}) },
    result: parse(row.result),
    error: parse(row.error) as TaskError | null,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    timeoutMs: row.timeoutMs,
    runAt: row.runAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

function encodeCursor(row: JobRow): string {
  return Buffer.from(`${row.createdAt}:${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const createdAt = Number(at);
  if (!id || !Number.isSafeInteger(createdAt)) throw new AppError('bad_request', 'invalid cursor');
  return { createdAt, id };
}

// The statements of every task's life (submit, progress, finish; the submit's pending count), compiled once.
const insertRow = compiledQuery((db, v: { row: JobRow }) =>
  db
    .insertInto('jobs')
    .values(v.row)
    .onConflict((oc) => oc.column('dedupeKey').doNothing())
    .returningAll(),
);
const updateHeld = compiledQuery(
  (db, v: { id: string; worker: string; patch: Updateable<JobsTable>; expiredBefore?: number }) => {
    const q = db
      .updateTable('jobs')
      .set(v.patch)
      .where('id', '=', v.id)
      .where('state', '=', 'running')
      .where('leaseOwner', '=', v.worker);
    return (v.expiredBefore === undefined ? q : q.where('leaseExpiresAt', '<', v.expiredBefore)).returningAll();
  },
);
const pendingCounts = compiledQuery((db, v: { orgId: string; ownerId: string; types: string[] }) =>
  db
    .selectFrom('jobs')
    .select((eb) => [
      eb.fn.countAll<number>().as('org'),
      eb.fn.sum<number>(eb.case().when('ownerId', '=', v.ownerId).then(1).else(0).end()).as('owner'),
    ])
    .where('orgId', '=', v.orgId)
    .where('state', 'in', ['queued', 'running'])
    .where('type', 'in', v.types),
);
// SQLite: the same from the counts the triggers of migration 1100 keep, a few rows instead of the backlog.
const pendingCountsKept = compiledQuery((db, v: { orgId: string; ownerId: string; types: string[] }) =>
  db
    .selectFrom('jobsPending')
    .select((eb) => [
      eb.fn.sum<number>('n').as('org'),
      eb.fn.sum<number>(eb.case().when('ownerId', '=', v.ownerId).then(eb.ref('n')).else(0).end()).as('owner'),
    ])
    .where('orgId', '=', v.orgId)
    .where('type', 'in', v.types),
);

/**
 * Every SQL statement of the database job queue. Each state change is one conditional UPDATE … RETURNING,
 * so two workers (or a worker and an admin) racing on the same task cannot both win: the loser's update
 * matches no row.
 */
export function jobsStore(database: Database) {
  const { db, dialect } = database;
  const owned = (id: string, worker: string) =>
    db.updateTable('jobs').where('id', '=', id).where('state', '=', 'running').where('leaseOwner', '=', worker);
  const claimDue = dialect === 'sqlite' ? sqliteClaim : postgresClaim;
  // A task's insert, claims, progress and finish go through one group commit: each stands on its own.
  const writes = writeBatcher(database);

  /** Insert unless the dedupe key exists; returns the row and whether it already existed. */
  async function insertIn(tx: Kysely<DB>, row: JobRow): Promise<{ row: JobRow; duplicate: boolean }> {
    const [inserted] = await insertRow(tx, { row });
    if (inserted) return { row: inserted, duplicate: false };
    const existing = await tx
      .selectFrom('jobs')
      .selectAll()
      .where('dedupeKey', '=', row.dedupeKey)
      .executeTakeFirstOrThrow();
    return { row: existing, duplicate: true };
  }

  /**
   * Take up to `limit` due tasks of `types` for `worker`, in claim order (priority, then due time, then age),
   * and at most `caps.get(type)` of a capped type: the task types with a concurrency below the pool's share
   * the batch without cutting it down to the smallest allowance. PostgreSQL: `FOR UPDATE SKIP LOCKED` lets
   * concurrent workers pick disjoint rows without waiting (one statement). SQLite: reads, then starts, in one
   * write transaction, and SQLite has one writer at a time (`sqliteClaim`).
   */
  async function claimIn(
    tx: Kysely<DB>,
    worker: string,
    types: readonly string[],
    limit: number,
    now: number,
    leaseMs: number,
    caps: ReadonlyMap<string, number> = new Map(),
  ): Promise<JobRow[]> {
    if (types.length === 0 || limit <= 0) return [];
    const capped = [...caps].filter(([type, cap]) => cap < limit && types.includes(type));
    const until = now + leaseMs;
    const rows = await claimDue(tx, { worker, types: [...types], limit, now, until, capped });
    return rows.sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || a.createdAt - b.createdAt);
  }

  return {
    /**
     * Run `write` in the next group commit, with `insertIn` and `claimIn`: for a caller that decides what to
     * write only when the batch runs (the job queue counts its free slots then).
     */
    write: <T>(write: (tx: Kysely<DB>) => Promise<T>): Promise<T> => writes.run(write),
    insertIn,
    claimIn,

    insert: (row: JobRow) => writes.run((tx) => insertIn(tx, row)),

    get(id: string): Promise<JobRow | undefined> {
      return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async list(filter: ListFilter): Promise<{ items: JobRow[]; nextCursor?: string }> {
      const limit = filter.limit ?? 50;
      let q = db.selectFrom('jobs').selectAll();
      if (filter.orgId !== undefined)
        q = filter.orgId === null ? q.where('orgId', 'is', null) : q.where('orgId', '=', filter.orgId);
      if (filter.ownerId) q = q.where('ownerId', '=', filter.ownerId);
      if (filter.state) q = q.where('state', '=', filter.state);
      if (filter.type) q = q.where('type', '=', filter.type);
      if (filter.cursor) {
        const c = decodeCursor(filter.cursor);
        q = q.where((eb) =>
          eb.or([eb('createdAt', '<', c.createdAt), eb.and([eb('createdAt', '=', c.createdAt), eb('id', '<', c.id)])]),
        );
      }
      const rows = await q
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return rows.length > limit && last ? { items, nextCursor: encodeCursor(last) } : { items };
    },

    /**
     * Start an attempt of one task if it is due; undefined when it is not (running, final, later, gone).
     * The lease ends `slackMs` after the attempt's timeout: by then the attempt is over unless its worker died.
     */
    claimById(id: string, worker: string, now: number, slackMs: number): Promise<JobRow | undefined> {
      return writes.run((tx) =>
        startAttempt(tx, worker, now, { afterTimeout: slackMs })
          .where('id', '=', id)
          .where('state', 'in', ['queued', 'failed'])
          .where('runAt', '<=', now)
          .returningAll()
          .executeTakeFirst(),
      );
    },

    /** Tasks waiting to run that were due by `dueBefore` and untouched since then, oldest first. */
    waiting(dueBefore: number, limit: number): Promise<JobRow[]> {
      return db
        .selectFrom('jobs')
        .selectAll()
        .where('state', 'in', ['queued', 'failed'])
        .where('runAt', '<=', dueBefore)
        .where('updatedAt', '<=', dueBefore)
        .orderBy('runAt', 'asc')
        .limit(limit)
        .execute();
    },

    /** State and holder of the given tasks (missing ids are left out). */
    holders(ids: readonly string[]): Promise<Pick<JobRow, 'id' | 'state' | 'leaseOwner'>[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return db.selectFrom('jobs').select(['id', 'state', 'leaseOwner']).where('id', 'in', ids).execute();
    },

    /** Running tasks leased by a worker other than `worker` (and not by an external one). */
    heldByOthers(worker: string, external: string, limit: number): Promise<JobRow[]> {
      return db
        .selectFrom('jobs')
        .selectAll()
        .where('state', '=', 'running')
        .where('leaseOwner', 'is not', null)
        .where('leaseOwner', '<>', worker)
        .where('leaseOwner', '<>', external)
        .limit(limit)
        .execute();
    },

    /** Running tasks whose lease ran out: their worker died or hung. */
    expired(now: number, limit: number): Promise<JobRow[]> {
      return db
        .selectFrom('jobs')
        .selectAll()
        .where('state', '=', 'running')
        .where('leaseExpiresAt', '<', now)
        .limit(limit)
        .execute();
    },

    async extendLease(id: string, worker: string, until: number): Promise<boolean> {
      const r = await owned(id, worker).set({ leaseExpiresAt: until }).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Change a running task held by `worker`; undefined when it is no longer held (cancelled, reaped). */
    async updateOwned(
      id: string,
      worker: string,
      patch: Updateable<JobsTable>,
      opts: { expiredBefore?: number } = {},
    ): Promise<JobRow | undefined> {
      const rows = await writes.run((tx) => updateHeld(tx, { id, worker, patch, expiredBefore: opts.expiredBefore }));
      return rows[0];
    },

    /** Give a running task back without counting the attempt (graceful shutdown; a slot that stayed taken). */
    release(id: string, worker: string, now: number): Promise<JobRow | undefined> {
      return owned(id, worker)
        .set((eb) => ({
          state: 'queued',
          attempts: eb('attempts', '-', 1),
          leaseOwner: null,
          leaseExpiresAt: null,
          startedAt: null,
          runAt: now,
          updatedAt: now,
        }))
        .returningAll()
        .executeTakeFirst();
    },

    cancel(id: string, now: number): Promise<JobRow | undefined> {
      return db
        .updateTable('jobs')
        .set({ state: 'cancelled', leaseOwner: null, leaseExpiresAt: null, finishedAt: now, updatedAt: now })
        .where('id', '=', id)
        .where('state', 'in', ['queued', 'failed', 'running'])
        .returningAll()
        .executeTakeFirst();
    },

    /** A new attempt series for failed / dead tasks matching `where`. */
    async requeue(filter: BulkFilter, states: ('failed' | 'dead')[], now: number): Promise<JobRow[]> {
      let q = db
        .updateTable('jobs')
        .set({
          state: 'queued',
          attempts: 0,
          runAt: now,
          error: null,
          result: null,
          progressPercent: 0,
          progressMessage: null,
          leaseOwner: null,
          leaseExpiresAt: null,
          startedAt: null,
          finishedAt: null,
          updatedAt: now,
        })
        .where('state', 'in', states);
      q = scoped(q, filter);
      return q.returningAll().execute();
    },

    /** Queued or running tasks of one org and of one owner in it, among `types`, in one query. */
    async countPending(filter: { orgId: string; ownerId: string; types: readonly string[] }): Promise<PendingCounts> {
      if (filter.types.length === 0) return { owner: 0, org: 0 };
      const count = dialect === 'sqlite' ? pendingCountsKept : pendingCounts;
      const [row] = await count(db, { ...filter, types: [...filter.types] });
      // SUM over no rows is NULL; PostgreSQL returns counts and sums as strings (bigint / numeric).
      return { owner: Number(row?.owner ?? 0), org: Number(row?.org ?? 0) };
    },

    async countByState(): Promise<{ state: JobRow['state']; n: number }[]> {
      const rows = await db
        .selectFrom('jobs')
        .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute();
      return rows.map((r) => ({ state: r.state, n: Number(r.n) }));
    },

    async purge(filter: BulkFilter & { state: string; finishedBefore?: number }): Promise<number> {
      let q = db.deleteFrom('jobs').where('state', '=', filter.state as JobRow['state']);
      if (filter.finishedBefore !== undefined) q = q.where('finishedAt', '<', filter.finishedBefore);
      q = scoped(q, filter);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
export type JobsStore = ReturnType<typeof jobsStore>;

// biome-ignore lint/suspicious/noExplicitAny: shared by the update and delete builders, which type `where` alike
function scoped<Q extends { where: (...args: any[]) => Q }>(q: Q, filter: BulkFilter): Q {
  let out = q;
  if (filter.orgId !== undefined)
    out = filter.orgId === null ? out.where('orgId', 'is', null) : out.where('orgId', '=', filter.orgId);
  if (filter.ids) out = out.where('id', 'in', filter.ids.length ? filter.ids : ['']);
  if (filter.type) out = out.where('type', '=', filter.type);
  return out;
}
