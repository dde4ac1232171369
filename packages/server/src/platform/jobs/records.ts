import type { Task, TaskError } from '@switchboard/protocol';
import type { Updateable } from 'kysely';
import { AppError } from '../../errors.js';
import type { Clock } from '../clock.js';
import { EXTERNAL_LEASE_OWNER, successPatch } from './attempt.js';
import { type JobRow, type JobsStore, toTask } from './db-store.js';
import type { JobsTable } from './jobs.tables.js';
import type { JobQueue } from './queue.js';

/** The `updated` listeners of one queue; a throwing listener is logged, never breaks the queue. */
export function taskEvents(log: { error(obj: object, msg: string): void }) {
  const listeners = new Set<(task: Task) => void>();
  return {
    emit(row: JobRow | undefined): void {
      if (!row) return;
      const task = toTask(row);
      for (const l of listeners) {
        try {
          l(task);
        } catch (err) {
          log.error({ err, taskId: task.id }, 'task listener failed');
        }
      }
    },
    on(listener: (task: Task) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type TaskEvents = ReturnType<typeof taskEvents>;

export interface RecordHooks {
  /** The patch of a failed attempt (the backend's backoff). */
  failurePatch(row: JobRow, error: TaskError, retryable: boolean, now: number): Updateable<JobsTable>;
  /** Rows that are waiting to run again (retried, redriven, or failed by an external report). */
  requeued(rows: JobRow[]): void | Promise<void>;
  /** A task was cancelled: abort its handler if it runs here. */
  cancelled(id: string): void;
  /** Settles when the attempt of `id` running in this process has recorded its outcome; undefined if none. */
  settling(id: string): Promise<unknown> | undefined;
}

/** How long an external report waits for a local handler's hand-off (`ctx.defer`) to be recorded. */
const HANDOFF_WAIT_MS = 2000;

/** The task `row` became, or the error saying why `verb` did not apply (unknown task, or a state that forbids it). */
async function mustChange(store: JobsStore, id: string, row: JobRow | undefined, verb: string): Promise<Task> {
  if (row) return toTask(row);
  const current = await store.get(id);
  if (!current) throw new AppError('not_found', 'no such task');
  throw new AppError('conflict', `cannot ${verb} a task that is ${current.state}`);
}

/**
 * The part of `JobQueue` that only reads and changes task rows, the same for every backend: the database
 * is the record of every task whichever backend dispatches them.
 */
export function taskRecords(
  store: JobsStore,
  clock: Clock,
  events: TaskEvents,
  hooks: RecordHooks,
): Pick<
  JobQueue,
  'get' | 'list' | 'countByState' | 'countPending' | 'cancel' | 'retry' | 'redrive' | 'purge' | 'report' | 'on'
> {
  return {
    async get(id) {
      const row = await store.get(id);
      return row && toTask(row);
    },

    async list(filter) {
      const page = await store.list(filter);
      return { items: page.items.map(toTask), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },

    async countByState() {
      return Object.fromEntries((await store.countByState()).map((r) => [r.state, r.n]));
    },

    countPending: (filter) => store.countPending(filter),

    async cancel(id) {
      const row = await store.cancel(id, clock.now());
      events.emit(row);
      hooks.cancelled(id);
      return mustChange(store, id, row, 'cancel');
    },

    async retry(id) {
      const [row] = await store.requeue({ ids: [id] }, ['failed', 'dead'], clock.now());
      events.emit(row);
      await hooks.requeued(row ? [row] : []);
      return mustChange(store, id, row, 'retry');
    },

    async redrive(filter) {
      const rows = await store.requeue(filter, ['dead'], clock.now());
      for (const row of rows) events.emit(row);
      await hooks.requeued(rows);
      return rows.length;
    },

    purge: (filter) => store.purge(filter),

    async report(id, outcome) {
      let row = await store.get(id);
      const local = row?.state === 'running' && row.leaseOwner !== EXTERNAL_LEASE_OWNER && hooks.settling(id);
      if (local) {
        // The external worker can answer before its handler's hand-off is written: wait for that here.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([local, new Promise((r) => (timer = setTimeout(r, HANDOFF_WAIT_MS)))]);
        clearTimeout(timer);
        row = await store.get(id);
      }
      if (row?.state !== 'running' || row.leaseOwner !== EXTERNAL_LEASE_OWNER) return false;
      const now = clock.now();
      const patch: Updateable<JobsTable> =
        outcome.event === 'progress'
          ? {
              progressPercent: Math.round(outcome.progress.percent),
              progressMessage: outcome.progress.message ?? null,
              updatedAt: now,
            }
          : outcome.event === 'complete'
            ? successPatch(outcome.result, now)
            : hooks.failurePatch(row, outcome.error, outcome.retryable ?? true, now);
      const updated = await store.updateOwned(id, EXTERNAL_LEASE_OWNER, patch);
      events.emit(updated);
      if (updated?.state === 'failed') await hooks.requeued([updated]);
      return updated !== undefined;
    },

    on: (_event, listener) => events.on(listener),
  };
}
