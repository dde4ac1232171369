import { type Expression, type Kysely, sql } from 'kysely';
import type { DB } from '../../schema.js';
import { compiledQuery } from '../db/compiled-query.js';
import type { DialectName } from '../db/database.js';
import type { JobsTable } from './jobs.tables.js';

// The claim's SQL: the statement that starts an attempt, and the one that picks due tasks and starts them.

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
 * The claim's one statement (see `jobsStore().claim`), compiled once per shape (how many types, how many
 * capped) for `dialect`.
 */
export function claimStatement(dialect: DialectName) {
  return compiledQuery(
    (
      db,
      v: { worker: string; types: string[]; limit: number; now: number; until: number; capped: [string, number][] },
    ) => {
      const waiting = (states: JobsTable['state'][]) =>
        db
          .selectFrom('jobs')
          .select(['id', 'type', 'priority', 'runAt', 'createdAt'])
          .where('state', 'in', states)
          .where('runAt', '<=', v.now)
          .where('type', 'in', v.types)
          .orderBy('priority', 'desc')
          .orderBy('runAt', 'asc')
          .orderBy('createdAt', 'asc')
          .limit(v.limit);
      // SQLite: one scan of jobs_claim_idx per waiting state, in claim order, merged. Given both states at once,
      // SQLite sorts every waiting task to find the first few: 3.4 ms with 10,000 waiting, against 0.15 ms.
      const locked = waiting(['queued', 'failed']).forUpdate().skipLocked();
      const candidates =
        dialect === 'postgres'
          ? locked
          : db
              .selectFrom(
                db
                  .selectFrom(waiting(['queued']).as('q'))
                  .selectAll()
                  .unionAll(db.selectFrom(waiting(['failed']).as('f')).selectAll())
                  .orderBy('priority', 'desc')
                  .orderBy('runAt', 'asc')
                  .orderBy('createdAt', 'asc')
                  .limit(v.limit)
                  .as('w'),
              )
              .selectAll();
      // The same statement shape as always when nothing is capped: extra predicates here can make PostgreSQL
      // re-run the SKIP LOCKED subquery and take more rows than `limit`. With caps, the locked candidates are
      // numbered within their type and only the first `cap` of each are taken (the rest stay waiting).
      const due =
        v.capped.length === 0
          ? dialect === 'postgres'
            ? locked.clearSelect().select('id')
            : db.selectFrom(candidates.as('c')).select('c.id')
          : db
              .selectFrom(
                db
                  .selectFrom(candidates.as('c'))
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
      let claim = startAttempt(db, v.worker, v.now, { until: v.until }).where('id', 'in', due);
      // PostgreSQL re-checks the state of a row another worker may have changed meanwhile. SQLite has one
      // writer, and the subquery already chose due rows: a state test here would make it walk the state index
      // (every waiting task) instead of looking the chosen ids up.
      if (dialect === 'postgres') claim = claim.where('state', 'in', ['queued', 'failed']);
      return claim.returningAll();
    },
  );
}
