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
  progressReports,
  runAttempt,
  startedRow,
  successPatch,
  withDefaults,
} from './attempt.js';
import { backoffDelay } from './backoff.js';
import { type JobRow, jobsStore, toTask } from './db-store.js';
import type { JobsTable } from './jobs.tables.js';
import { type AbortReason, type JobQueue, type SubmitOptions, TaskAbortedError } from './queue.js';
import { taskEvents, taskRecords } from './records.js';
import { scheduler } from './schedule.js';
import { READY_WAIT_MS, workerSlots } from './worker-slots.js';

export type DbJobQueueOptions = JobQueueOptions;

interface Running {
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
  /** Attempts of this process, from launch until their outcome is written (cancel and stop reach them here). */
  const running = new Map<string, Running>();
  // A started attempt waits for its slot READY_WAIT_MS at most; with a lease shorter than twice that, half the
  // lease (a waiting attempt has no heartbeat).
  const slots = workerSlots({
    concurrency: o.concurrency,
    capOf: (type) => handlers.get(type)?.concurrency ?? o.concurrency,
    waitMs: Math.min(READY_WAIT_MS, o.leaseMs / 2),
    launch: (row) => launch(row),
    giveBack: (id) => void giveBack(id),
    open: () => started,
  });
  const events = taskEvents(o.log);
  const emit = events.emit;
  const schedules = scheduler((input) => queue.submit(input));
  let started = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let lastReap = 0;
  let wanted = false;
  /** The last claim may have left due tasks waiting, so a freed slot should claim again. */
  let backlog = true;
  /**
   * Types a claim found nothing more of. A claim leaves them out until a local submit of the type, a timer, a
   * requeue or the next poll: a claim for types with nothing due reads past every waiting task of the other
   * types (with a backlog of a type at its cap: ~600 µs a claim, at every submit; docs/performance.md).
   */
  const drained = new Set<string>();
  // What may have made due work since a claim began: a claim marks a type drained only when nothing stirred
  // it meanwhile (a submit that commits while the claim reads must not be forgotten).
  let epoch = 0;
  let stirredAll = 0;
  const stirredType = new Map<string, number>();
  function stir(type?: string): void {
    epoch++;
    if (type === undefined) {
      stirredAll = epoch;
      drained.clear();
    } else {
      stirredType.set(type, epoch);
      drained.delete(type);
    }
  }
  const timers = new Set<NodeJS.Timeout>();

  /**
   * Look for due work now. A wake while the loop is busy is remembered (`wanted`), so a task submitted during a
   * claim does not wait for the next poll.
   */
  function wake(): void {
    wanted = true;
    wakeUp?.();
  }

  function wakeIn(ms: number): void {
    if (!started || ms >= o.pollIntervalMs) return;
    const t = setTimeout(
      () => {
        timers.delete(t);
        stir();
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

  /**
   * Run one attempt. `release` frees its slot as soon as the handler has settled: the write that records the
   * outcome is bookkeeping, and the next task need not wait for its commit (a no-op task would otherwise hold
   * its slot for a commit or two, which capped a public type's few slots far below what the node can run).
   */
  async function run(
    row: JobRow,
    controller: AbortController,
    release: () => void,
    started: Updateable<JobsTable>,
  ): Promise<void> {
    const abort = (reason: AbortReason) => controller.abort(new TaskAbortedError(reason));
    const heartbeat = setInterval(() => {
      store.extendLease(row.id, o.workerId, clock.now() + o.leaseMs).then(
        async (held) => held || abort(await abortReason(row.id)),
        () => {}, // a database hiccup: the next beat tries again, the lease has slack
      );
    }, heartbeatMs);
    const reports = progressReports(
      async (patch) => emit(await store.updateOwned(row.id, o.workerId, patch)),
      controller.signal,
      () => clock.now(),
    );
    try {
      const outcome = await runAttempt(handlers.get(row.type), row, controller, reports.progress);
      release();
      const now = clock.now();
      const reported = { ...reports.take(), ...started };
      switch (outcome.kind) {
        case 'deferred':
          await store.updateOwned(row.id, o.workerId, {
            ...reported,
            leaseOwner: EXTERNAL_LEASE_OWNER,
            leaseExpiresAt: now + outcome.leaseMs,
          });
          break;
        case 'succeeded':
          emit(await store.updateOwned(row.id, o.workerId, { ...reported, ...successPatch(outcome.result, now) }));
          break;
        case 'failed':
          emit(
            await store.updateOwned(row.id, o.workerId, {
              ...reported,
              ...failurePatch(row, outcome.error, outcome.retryable, now),
            }),
          );
          break;
        case 'aborted':
          // Cancelled or reaped: someone else already changed the task. Shutdown: give it back at once.
          if (outcome.reason === 'shutdown') emit(await store.release(row.id, o.workerId, now));
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Take a waiting attempt out; with `release`, hand its task back to the queue (not counted as an attempt). */
  async function unready(id: string, release: boolean): Promise<void> {
    const row = slots.remove(id);
    if (!row || !release) return;
    emit(await store.release(row.id, o.workerId, clock.now()));
    stir(row.type);
    wake();
  }
  const giveBack = (id: string) =>
    unready(id, true).catch((err) => o.log.error({ err, taskId: id }, 'giving a task back failed'));

  /** Run an attempt that holds a slot; watchers see it running from now. */
  function launch(stored: JobRow): void {
    const now = clock.now();
    // It waited for its slot: the attempt starts now, and the write of its end says so.
    const late = stored.startedAt !== null && now > stored.startedAt;
    const row = late ? { ...stored, startedAt: now } : stored;
    const entry: Running = { controller: new AbortController(), done: Promise.resolve() };
    running.set(row.id, entry);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      slots.settled(row.type);
      // Tasks submitted here wake the loop themselves; other processes' are found by the next poll.
      if (backlog) wake();
    };
    emit(row);
    entry.done = run(row, entry.controller, release, late ? { startedAt: now } : {})
      .catch((err) => o.log.error({ err, taskId: row.id }, 'task bookkeeping failed'))
      .finally(() => {
        running.delete(row.id);
        release();
      });
  }

  /**
   * Claim as many due tasks as there is room for, each type within its own; true when more may be due right
   * now. Also decides whether a finishing task should look for more work (`backlog`): only when this claim may
   * have left due tasks behind (no room, a type at its cap, a full batch).
   */
  async function fill(): Promise<boolean> {
    let plan: ReturnType<typeof slots.claimPlan> | undefined;
    const since = epoch;
    const rows = await store.write((tx) => {
      plan ??= slots.claimPlan(handlers.keys(), (type) => drained.has(type)); // once: a failed batch reruns each write
      const { free, types, caps } = plan;
      return free > 0 ? store.claimIn(tx, o.workerId, types, free, clock.now(), o.leaseMs, caps) : Promise.resolve([]);
    });
    const { free, types, caps, atCap } = plan as ReturnType<typeof slots.claimPlan>;
    for (const row of rows) {
      slots.reserve(row.type, 1);
      slots.start(row);
    }
    if (free <= 0 || types.length === 0) {
      backlog = free <= 0 || atCap;
      return false;
    }
    const taken = new Map<string, number>();
    for (const row of rows) taken.set(row.type, (taken.get(row.type) ?? 0) + 1);
    const capReached = [...caps].some(([type, cap]) => (taken.get(type) ?? 0) >= cap);
    backlog = atCap || capReached || rows.length === free;
    // Fewer than asked, and no cap cut the batch: every due task of these types was taken.
    if (rows.length < free && !capReached && stirredAll <= since) {
      for (const type of types) if ((stirredType.get(type) ?? 0) <= since) drained.add(type);
    }
    // A full batch, or a capped type that crowded others out of it (that type is left out next time).
    return rows.length === free || (capReached && rows.length > 0);
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
      // Other processes' tasks, and those the reaper puts back, are found here.
      stir();
      await reap();
      await schedules.fire(now);
    }
    return fill();
  }

  async function pollLoop(): Promise<void> {
    while (started) {
      let more = false;
      wanted = false;
      try {
        more = await tick();
      } catch (err) {
        o.log.error({ err }, 'job queue poll failed');
      }
      if (!started) break;
      if (!more && !wanted) {
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
      requeued: () => {
        stir();
        wake();
      },
      cancelled: (id) => {
        void unready(id, false);
        running.get(id)?.controller.abort(new TaskAbortedError('cancelled'));
      },
      settling: (id) => running.get(id)?.done,
    }),
    register(def) {
      handlers.set(def.type, { ...def, concurrency: def.concurrency ?? o.concurrency } as Handler);
      stir(def.type);
      wake();
    },
    handles: (type) => handlers.has(type),

    async submit(input: SubmitOptions) {
      const now = clock.now();
      const handler = handlers.get(input.type);
      const queued = newJobRow(input, handler, now, o);
      // Nothing left waiting and room for it: the task starts in the same write that stores it, as the next
      // claim would have taken it anyway. Decided when the write runs (as for a claim), and reserved from then
      // until the attempt has its slot.
      let direct = false;
      let row: JobRow | undefined;
      const choose = () => {
        direct =
          !!handler && queued.runAt <= now && !backlog && started && slots.free() > 0 && slots.room(handler.type) > 0;
        if (direct) slots.reserve(queued.type, 1);
        return direct ? startedRow(queued, o.workerId, clock.now(), o.leaseMs) : queued;
      };
      let stored: { row: JobRow; duplicate: boolean } | undefined;
      try {
        stored = await store.write((tx) => {
          row ??= choose(); // once: a failed batch runs its writes again, one by one
          return store.insertIn(tx, row);
        });
      } finally {
        // The reservation passes to the attempt the write started, or ends here (a duplicate, a failed write).
        if (direct && !(stored && !stored.duplicate && stored.row.state === 'running')) slots.reserve(queued.type, -1);
      }
      const { row: task, duplicate } = stored;
      if (!duplicate) {
        if (task.state === 'running') {
          // Watchers see the same two steps as for a claimed task: queued, then running.
          emit(queued);
          slots.start(task);
        } else {
          emit(task);
          stir(task.type);
          if (task.runAt <= now) wake();
          else wakeIn(task.runAt - now);
        }
      }
      return { task: toTask(task), duplicate };
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
      await Promise.all(slots.waitingIds().map(giveBack));
      for (const r of running.values()) r.controller.abort(new TaskAbortedError('shutdown'));
      await all();
    },
  };
  return queue;
}
