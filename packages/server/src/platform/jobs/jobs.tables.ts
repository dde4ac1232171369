import type { TaskState } from '@switchboard/protocol';
import { sql } from 'kysely';
import type { ModuleMigration } from '../db/migration.js';

export interface JobsTable {
  id: string;
  type: string;
  orgId: string | null;
  ownerId: string | null;
  idempotencyKey: string | null;
  /** `${orgId}:${ownerId}:${idempotencyKey}`, unique; null when there is no key (nulls never collide). */
  dedupeKey: string | null;
  state: TaskState;
  priority: number;
  /** JSON. */
  payload: string;
  progressPercent: number;
  progressMessage: string | null;
  /** JSON or null. */
  result: string | null;
  /** JSON `{ message, code? }` or null. */
  error: string | null;
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  runAt: number;
  /** The worker holding a running task, and until when; an expired lease is taken over. */
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/**
 * SQLite only: how many tasks of each org, owner ('' for none) and type are queued or running, kept by
 * triggers on `jobs` (migration 1100). A submit's limit check reads these few rows instead of counting the
 * backlog.
 */
export interface JobsPendingTable {
  orgId: string;
  ownerId: string;
  type: string;
  n: number;
}

export interface JobsTables {
  jobs: JobsTable;
  jobsPending: JobsPendingTable;
}

export const jobsMigrations: ModuleMigration[] = [
  {
    name: '0300_jobs_create',
    async up(db) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('orgId', 'text')
        .addColumn('ownerId', 'text')
        .addColumn('idempotencyKey', 'text')
        .addColumn('dedupeKey', 'text', (c) => c.unique())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('progressPercent', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('progressMessage', 'text')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('maxAttempts', 'integer', (c) => c.notNull())
        .addColumn('timeoutMs', 'integer', (c) => c.notNull())
        .addColumn('runAt', 'bigint', (c) => c.notNull())
        .addColumn('leaseOwner', 'text')
        .addColumn('leaseExpiresAt', 'bigint')
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .addColumn('startedAt', 'bigint')
        .addColumn('finishedAt', 'bigint')
        .execute();
      // The claim scans due work by priority (jobs_claim_idx since 1090); the reaper scans expired leases.
      await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['state', 'priority', 'runAt']).execute();
      await db.schema.createIndex('jobs_lease_idx').on('jobs').columns(['state', 'leaseExpiresAt']).execute();
      await db.schema.createIndex('jobs_owner_idx').on('jobs').columns(['ownerId', 'createdAt']).execute();
      await db.schema.createIndex('jobs_org_state_idx').on('jobs').columns(['orgId', 'state', 'createdAt']).execute();
    },
  },
  {
    // The claim's order (priority first, highest first; then due time; then age) as an index, so a claim reads
    // the first due tasks of a state in order and stops, instead of sorting every waiting task: on SQLite
    // 0.15 ms a claim with 10,000 waiting, against 9 ms (docs/performance.md). Replaces jobs_due_idx.
    name: '1090_jobs_claim_order',
    async up(db) {
      await db.schema
        .createIndex('jobs_claim_idx')
        .on('jobs')
        .columns(['state', 'priority desc', 'runAt', 'createdAt'])
        .execute();
      await db.schema.dropIndex('jobs_due_idx').execute();
    },
  },
  {
    // Every submit checks the owner's and the org's pending tasks against their limits. Counting them read
    // the whole backlog: once a burst outran the workers, each submit got slower as the queue grew, and the
    // node fell to 40% of what it handles otherwise (docs/performance.md). On SQLite, triggers keep the counts
    // in `jobs_pending`, in the same transaction as the change. PostgreSQL keeps counting rows: a counter row
    // there would make every submit and finish of an owner wait on one row lock, across nodes.
    name: '1100_jobs_pending_counts',
    async up(db, dialect) {
      if (dialect !== 'sqlite') return;
      await sql`create table jobs_pending (org_id text not null, owner_id text not null, type text not null,
        n integer not null, primary key (org_id, owner_id, type)) without rowid`.execute(db);
      const pending = (row: 'new' | 'old') =>
        sql.raw(`${row}.org_id is not null and ${row}.state in ('queued', 'running')`);
      const add = sql`insert into jobs_pending (org_id, owner_id, type, n)
        values (new.org_id, coalesce(new.owner_id, ''), new.type, 1)
        on conflict (org_id, owner_id, type) do update set n = n + 1`;
      const remove = sql`update jobs_pending set n = n - 1
        where org_id = old.org_id and owner_id = coalesce(old.owner_id, '') and type = old.type;
        delete from jobs_pending
        where org_id = old.org_id and owner_id = coalesce(old.owner_id, '') and type = old.type and n <= 0`;
      await sql`create trigger jobs_pending_insert after insert on jobs when ${pending('new')}
        begin ${add}; end`.execute(db);
      await sql`create trigger jobs_pending_delete after delete on jobs when ${pending('old')}
        begin ${remove}; end`.execute(db);
      // The state is the only column of the key a task changes.
      await sql`create trigger jobs_pending_enter after update of state on jobs
        when ${pending('new')} and not (${pending('old')}) begin ${add}; end`.execute(db);
      await sql`create trigger jobs_pending_leave after update of state on jobs
        when ${pending('old')} and not (${pending('new')}) begin ${remove}; end`.execute(db);
      await sql`insert into jobs_pending (org_id, owner_id, type, n)
        select org_id, coalesce(owner_id, ''), type, count(*) from jobs
        where org_id is not null and state in ('queued', 'running') group by 1, 2, 3`.execute(db);
    },
  },
];
