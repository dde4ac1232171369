import { type Expression, type Kysely, type Selectable, sql } from 'kysely';
import type { DB } from '../../schema.js';
import { compiledQuery, inList } from '../db/compiled-query.js';
import type { JobsTable } from './jobs.tables.js';

// The claim's SQL: the statement that starts an attempt, PostgreSQL's claim statement and SQLite's claim.

/**
 * `case type when 'a' then 1 … else limit end`: how many tasks of a type one claim may take. Numbers are bound
 * as parameters, so the statement's text (and its prepared statement) does not change with the allowances.
 */
function capOf(type: Expression<string>, capped: [string, number][], limit: number) {
  const n = (v: number) => sql`cast(${v} as integer)`;
  const arms = capped.map(([t, cap]) => sql`when ${t} then ${n(cap)}`);
  return sql<number>`case ${type} ${sql.join(arms, sql` `)} else ${n(limit)} end`;
}

/**
 * Start an attempt: the rows (due, `queued` / `failed`: the caller's WHERE) become `running`, held by
 * `worker` until a lease expires: at `until`, or `afterTimeout` ms after the attempt's own timeout.
 */
export const startAttempt = (
  db: Kysely<DB>,
  worker: string,
  now: number,
  lease: { until: number } | { afterTimeout: number },
) =>
  db.updateTable('jobs').set((eb) => ({
    state: 'running',
    attempts: eb('attempts', '+', 1),
    leaseOwner: worker,
    // bigint arithmetic: PostgreSQL would type the parameter after the integer column, and overflow.
    leaseExpiresAt:
      'until' in lease
        ? lease.until
        : eb(eb.cast<number>(eb.val(now + lease.afterTimeout), 'bigint'), '+', eb.ref('timeoutMs')),
    startedAt: now,
    updatedAt: now,
    finishedAt: null,
  }));

/**
 * PostgreSQL's claim, one statement (see `jobsStore().claim`): `FOR UPDATE SKIP LOCKED` lets concurrent workers
 * pick disjoint rows without waiting. Compiled once per shape (how many types, how many capped).
 */
export const postgresClaim = compiledQuery(
  (
    db,
    v: { worker: string; types: string[]; limit: number; now: number; until: number; capped: [string, number][] },
  ) => {
    const locked = db
      .selectFrom('jobs')
      .select(['id', 'type', 'priority', 'runAt', 'createdAt'])
      .where('state', 'in', ['queued', 'failed'])
      .where('runAt', '<=', v.now)
      .where('type', 'in', v.types)
      .orderBy('priority', 'desc')
      .orderBy('runAt', 'asc')
      .orderBy('createdAt', 'asc')
      .limit(v.limit)
      .forUpdate()
      .skipLocked();
    // The same statement shape as always when nothing is capped: extra predicates here can make PostgreSQL
    // re-run the SKIP LOCKED subquery and take more rows than `limit`. With caps, the locked candidates are
    // numbered within their type and only the first `cap` of each are taken (the rest stay waiting).
    const due =
      v.capped.length === 0
        ? locked.clearSelect().select('id')
        : db
            .selectFrom(
              db
                .selectFrom(locked.as('c'))
                .select([
                  'c.id',
                  'c.type',
                  sql<number>`row_number() over (partition by ${sql.ref('c.type')} order by ${sql.ref('c.priority')} desc, ${sql.ref('c.runAt')}, ${sql.ref('c.createdAt')})`.as(
                    'rank',
                  ),
                ])
                .as('n'),
            )
            .select('n.id')
            .where(({ eb, ref }) => eb(ref('n.rank'), '<=', capOf(ref('n.type'), v.capped, v.limit)));
    // Re-check the state of a row another worker may have changed meanwhile.
    return startAttempt(db, v.worker, v.now, { until: v.until })
      .where('id', 'in', due)
      .where('state', 'in', ['queued', 'failed'])
      .returningAll();
  },
);

type Due = Pick<Selectable<JobsTable>, 'id' | 'type' | 'priority' | 'runAt' | 'createdAt'>;

// SQLite's claim in three plain statements (see `sqliteClaim`).
const dueIn = compiledQuery((db, v: { state: JobsTable['state']; now: number; types: string[]; limit: number }) =>
  db
    .selectFrom('jobs')
    .select(['id', 'type', 'priority', 'runAt', 'createdAt'])
    .where('state', '=', v.state)
    .where('runAt', '<=', v.now)
    .where('type', 'in', v.types)
    .orderBy('priority', 'desc')
    .orderBy('runAt', 'asc')
    .orderBy('createdAt', 'asc')
    .limit(v.limit),
);
const startMany = compiledQuery((db, v: { ids: string[]; worker: string; now: number; until: number }) =>
  startAttempt(db, v.worker, v.now, { until: v.until }).where('id', 'in', v.ids).returningAll(),
);

const claimOrder = (a: Due, b: Due) => b.priority - a.priority || a.runAt - b.runAt || a.createdAt - b.createdAt;

/**
 * SQLite's claim: read the first due tasks of each waiting state from jobs_claim_idx, merge them in claim order,
 * keep the first `limit` less those past their type's cap, and start those. The caller runs it in a write
 * transaction, and SQLite has one writer, so nothing changes the rows in between. It chooses what
 * `postgresClaim` chooses, in statements SQLite runs in a few µs each: one statement with a union, a window
 * function and an `IN` subquery cost ~400–650 µs a claim whatever it found (docs/performance.md).
 */
export async function sqliteClaim(
  db: Kysely<DB>,
  v: { worker: string; types: string[]; limit: number; now: number; until: number; capped: [string, number][] },
) {
  const read = (state: JobsTable['state']) => dueIn(db, { state, now: v.now, types: v.types, limit: v.limit });
  const candidates = [...(await read('queued')), ...(await read('failed'))].sort(claimOrder).slice(0, v.limit);
  const caps = new Map(v.capped);
  const taken = new Map<string, number>();
  const ids = candidates
    .filter((c) => {
      const n = (taken.get(c.type) ?? 0) + 1;
      taken.set(c.type, n);
      return n <= (caps.get(c.type) ?? v.limit);
    })
    .map((c) => c.id);
  if (ids.length === 0) return [];
  return startMany(db, { ids: inList(ids), worker: v.worker, now: v.now, until: v.until });
}
