import type { TaskError } from '@switchboard/protocol';
import type { Updateable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import {
  abandonedHere,
  EXTERNAL_LEASE_OWNER,
  failurePatch as failure,
  type Handler,
  type JobQueueOptions,
  leaseExpiredError,
  newJobRow,
  progressPatch,
  runAttempt,
  successPatch,
  withDefaults,
} from './attempt.js';
import { backoffDelay } from './backoff.js';
import { type JobRow, jobsStore, toTask } from './db-store.js';
import type { JobsTable } from './jobs.tables.js';
import { type AbortReason, type JobQueue, type SubmitOptions, TaskAbortedError } from './queue.js';
import { taskEvents, taskRecords } from './records.js';
import { scheduler } from './schedule.js';

export type DbJobQueueOptions = JobQueueOptions;

interface Running {
  type: string;
  controller: AbortController;
  done: Promise<void>;
}

export { EXTERNAL_LEASE_OWNER };

/**
 * The durable job queue on the database (SQLite or PostgreSQL) with an in-process worker pool. A task is
 * durable once `submit` resolves; a worker holds a running task by a lease it renews by heartbeat, and a
 * task whose lease expired (its process was killed) is failed and retried by whichever worker sees it.
 */
export function createDbJobQueue(database: Database, clock: Clock, options: DbJobQueueOptions = {}): JobQueue {
  const o = withDefaults(options, 500);
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(o.leaseMs / 3));
  const store = jobsStore(database);
  const handlers = new Map<string, Handler>();
  const running = new Map<string, Running>();
  const perType = new Map<string, number>();
  const events = taskEvents(o.log);
  const emit = events.emit;
  const schedules = scheduler((input) => queue.submit(input));
  let started = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let lastReap = 0;
  const timers = new Set<NodeJS.Timeout>();

  function wake(): void {
    wakeUp?.();
  }

  function wakeIn(ms: number): void {
    if (!started || ms >= o.pollIntervalMs) return;
    const t = setTimeout(
      () => {
        timers.delete(t);
        wake();
      },
      Math.max(0, ms),
    );
    t.unref();
    timers.add(t);
  }

  /** The patch for a failed attempt: back off and retry, or dead-letter after the last attempt. */
  function failurePatch(row: JobRow, error: TaskError, retryable: boolean, now: number): Updateable<JobsTable> {
    return failure(row, error, retryable, now, (attempts) => {
      const delay = backoffDelay(attempts, o.backoffBaseMs, o.backoffMaxMs, o.random);
      wakeIn(delay);
      return delay;
    });
  }

  async function abortReason(id: string): Promise<AbortReason> {
    const row = await store.get(id);
    return row?.state === 'cancelled' ? 'cancelled' : 'lease_lost';
  }

  async function run(row: JobRow, controller: AbortController): Promise<void> {
    const abort = (reason: AbortReason) => controller.abort(new TaskAbortedError(reason));
    const heartbeat = setInterval(() => {
      store.extendLease(row.id, o.workerId, clock.now() + o.leaseMs).then(
        async (held) => held || abort(await abortReason(row.id)),
        () => {}, // a database hiccup: the next beat tries again, the lease has slack
      );
    }, heartbeatMs);
    try {
      const outcome = await runAttempt(handlers.get(row.type), row, controller, async (percent, message) => {
        if (!controller.signal.aborted)
          emit(await store.updateOwned(row.id, o.workerId, progressPatch(percent, message, clock.now())));
      });
      const now = clock.now();
      switch (outcome.kind) {
        case 'deferred':
          await store.updateOwned(row.id, o.workerId, {
            leaseOwner: EXTERNAL_LEASE_OWNER,
            leaseExpiresAt: now + outcome.leaseMs,
          });
          break;
        case 'succeeded':
          emit(await store.updateOwned(row.id, o.workerId, successPatch(outcome.result, now)));
          break;
        case 'failed':
          emit(await store.updateOwned(row.id, o.workerId, failurePatch(row, outcome.error, outcome.retryable, now)));
          break;
        case 'aborted':
          // Cancelled or reaped: someone else already changed the task. Shutdown: give it back at once.
          if (outcome.reason === 'shutdown') emit(await store.release(row.id, o.workerId, now));
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  function launch(row: JobRow): void {
    const entry: Running = { type: row.type, controller: new AbortController(), done: Promise.resolve() };
    running.set(row.id, entry);
    perType.set(row.type, (perType.get(row.type) ?? 0) + 1);
    emit(row);
    entry.done = run(row, entry.controller)
      .catch((err) => o.log.error({ err, taskId: row.id }, 'task bookkeeping failed'))
      .finally(() => {
        running.delete(row.id);
        perType.set(row.type, (perType.get(row.type) ?? 1) - 1);
        wake();
      });
  }

  /** Claim as many due tasks as there are free slots; true when the batch was full (more may be due). */
  async function fill(): Promise<boolean> {
    const free = o.concurrency - running.size;
    if (free <= 0) return false;
    let batch = free;
    const types: string[] = [];
    for (const [type, def] of handlers) {
      const allowance = def.concurrency - (perType.get(type) ?? 0);
      if (allowance <= 0) continue;
      types.push(type);
      // One batch never exceeds the smallest per-type allowance, so no type goes over its cap.
      if (def.concurrency < o.concurrency) batch = Math.min(batch, allowance);
    }
    const rows = await store.claim(o.workerId, types, batch, clock.now(), o.leaseMs);
    for (const row of rows) launch(row);
    return rows.length > 0 && rows.length === batch;
  }

  /** Fail (retry or dead-letter) running tasks whose worker stopped renewing the lease. */
  async function reap(): Promise<void> {
    const now = clock.now();
    for (const row of await store.expired(now, 100)) {
      if (!row.leaseOwner) continue;
      const error = leaseExpiredError(row.leaseOwner);
      emit(
        await store.updateOwned(row.id, row.leaseOwner, failurePatch(row, error, true, now), { expiredBefore: now }),
      );
    }
  }

  /**
   * At start: tasks still leased by a process that is gone need not wait for their lease to run out (up to
   * `leaseMs`, showing `running` meanwhile). Only a dead predecessor on this host is known to be gone
   * (`abandonedHere`); another node's leases, or a live CLI process's on the same SQLite file, run out as usual.
   */
  async function reclaimAbandoned(): Promise<void> {
    const now = clock.now();
    for (const row of await store.heldByOthers(o.workerId, EXTERNAL_LEASE_OWNER, 1000)) {
      const owner = row.leaseOwner ?? '';
      if (!abandonedHere(owner, o.workerId)) continue;
      emit(await store.updateOwned(row.id, owner, failurePatch(row, leaseExpiredError(owner), true, now)));
    }
  }

  async function tick(): Promise<boolean> {
    const now = clock.now();
    if (now - lastReap >= o.pollIntervalMs) {
      lastReap = now;
      await reap();
      await schedules.fire(now);
    }
    return fill();
  }

  async function pollLoop(): Promise<void> {
    while (started) {
      let more = false;
      try {
        more = await tick();
      } catch (err) {
        o.log.error({ err }, 'job queue poll failed');
      }
      if (!started) break;
      if (!more) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, o.pollIntervalMs);
          wakeUp = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wakeUp = undefined;
      }
    }
  }

  const queue: JobQueue = {
    ...taskRecords(store, clock, events, {
      failurePatch,
      requeued: () => wake(),
      cancelled: (id) => running.get(id)?.controller.abort(new TaskAbortedError('cancelled')),
      settling: (id) => running.get(id)?.done,
    }),
    register(def) {
      handlers.set(def.type, { ...def, concurrency: def.concurrency ?? o.concurrency } as Handler);
      wake();
    },
    handles: (type) => handlers.has(type),

    async submit(input: SubmitOptions) {
      const now = clock.now();
      const { row, duplicate } = await store.insert(newJobRow(input, handlers.get(input.type), now, o));
      if (!duplicate) {
        emit(row);
        if (row.runAt <= now) wake();
        else wakeIn(row.runAt - now);
      }
      return { task: toTask(row), duplicate };
    },

    schedule: (def) => schedules.add(def),

    async start() {
      if (started) return;
      started = true;
      await reclaimAbandoned().catch((err) => o.log.error({ err }, 'job queue: reclaiming abandoned tasks failed'));
      loop = pollLoop();
    },

    async stop(opts = {}) {
      if (!started) return;
      started = false;
      wake();
      await loop;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const all = () => Promise.allSettled([...running.values()].map((r) => r.done));
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([all(), new Promise((r) => (graceTimer = setTimeout(r, opts.graceMs ?? o.stopGraceMs)))]);
      clearTimeout(graceTimer);
      for (const r of running.values()) r.controller.abort(new TaskAbortedError('shutdown'));
      await all();
    },
  };
  return queue;
}
