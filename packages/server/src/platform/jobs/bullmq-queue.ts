import type { TaskError } from '@switchboard/protocol';
import { DelayedError, Worker } from 'bullmq';
import type { Updateable } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../db/database.js';
import type { RedisConnection } from '../redis.js';
import {
  EXTERNAL_LEASE_OWNER,
  failurePatch as failure,
  type Handler,
  type JobQueueOptions,
  leaseExpiredError,
  newJobRow,
  progressReports,
  runAttempt,
  successPatch,
  withDefaults,
} from './attempt.js';
import { backoffDelay } from './backoff.js';
import { bullPrefix, leaseOwner, type Ticket, type TicketData, ticketId, ticketQueue } from './bullmq-tickets.js';
import { type JobRow, jobsStore, toTask } from './db-store.js';
import type { JobsTable } from './jobs.tables.js';
import { type JobQueue, TaskAbortedError } from './queue.js';
import { taskEvents, taskRecords } from './records.js';
import { scheduler } from './schedule.js';

/**
 * `pollIntervalMs`: the sweep (expired external leases, lost tickets, schedules) and BullMQ's stalled-job
 * check; `leaseMs` / `heartbeatMs`: the BullMQ lock and its renewal, also how often this node checks that
 * its running tasks were not cancelled or taken over elsewhere.
 */
export interface BullmqJobQueueOptions extends JobQueueOptions {
  /** The BullMQ queue (under the connection's key prefix). */
  queueName?: string;
  /** A ticket of a type at its concurrency cap here waits this long before any worker tries it again. */
  parkMs?: number;
}

interface Running {
  taskId: string;
  owner: string;
  controller: AbortController;
  /** Settles once the attempt's outcome is recorded. */
  done: Promise<void>;
}

/**
 * The task queue on BullMQ, for cluster mode: the same `JobQueue` as `db-queue.ts`, passing the same
 * conformance suite.
 *
 * Design: the database `jobs` table stays the record of every task (what the API lists and counts,
 * idempotency keys, progress, results, the dead-letter queue) through the same `db-store.ts` statements;
 * BullMQ only dispatches. Each task waiting for an attempt has one BullMQ job, a *ticket* (`{ taskId }`,
 * id `<task>.<attempts>.<runAt>`, BullMQ priority and delay from the task). A worker holding a ticket
 * claims the row with a conditional UPDATE (due, `queued` / `failed` → `running`), runs the handler, and
 * records the outcome fenced by its lease owner `<ticket>@<BullMQ lock token>`, so a worker whose lock
 * was taken over cannot complete the task (its UPDATE matches no row). Retries, releases and redrives add
 * a new ticket and finish the old one; retry delays and attempt counts are ours, not BullMQ's.
 *
 * - Lease: the BullMQ lock (`leaseMs`, renewed every `heartbeatMs`). A worker that dies stops renewing; the
 *   stalled checker puts its ticket back, the next holder sees the row held by an earlier holder of the
 *   same ticket, fails that attempt (`lease_expired`, with backoff) and adds the retry's ticket.
 * - Per-type caps: one worker runs every type; a ticket of a type already at its cap here is parked
 *   (delayed `parkMs`) and promoted as soon as a task of that type ends here.
 * - Cancel and timeout fire the handler's signal here; a cancel made on another node is seen by the
 *   sweep (`pollIntervalMs`), as is an external worker's lease running out.
 * - A ticket lost to a Redis outage or restart is added again by the sweep, for any task due and untouched
 *   for `leaseMs`; a running task whose ticket vanished is failed once its timeout and `leaseMs` are past.
 * - Cron schedules: `schedule.ts`, the tick's idempotency key makes it one run across nodes.
 */
export function createBullmqJobQueue(
  database: Database,
  clock: Clock,
  redis: RedisConnection,
  options: BullmqJobQueueOptions = {},
): JobQueue {
  const o = { ...withDefaults(options, 1000), queueName: options.queueName ?? 'tasks' };
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(o.leaseMs / 2));
  const parkMs = options.parkMs ?? o.leaseMs;
  const store = jobsStore(database);
  const events = taskEvents(o.log);
  const emit = events.emit;
  const tickets = ticketQueue(redis, o.queueName, o.log, () => clock.now());
  const handlers = new Map<string, Handler>();
  const running = new Map<string, Running>(); // by ticket id
  const perType = new Map<string, number>();
  const parked = new Map<string, string[]>(); // ticket ids by type
  const inflight = new Set<Promise<unknown>>();
  const schedules = scheduler((input) => queue.submit(input));
  let worker: Worker<TicketData, void, string> | undefined;
  let workerClient: ReturnType<RedisConnection['waitingClient']> | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  let started = false;

  const failurePatch = (row: JobRow, error: TaskError, retryable: boolean, now: number) =>
    failure(row, error, retryable, now, (attempts) =>
      backoffDelay(attempts, o.backoffBaseMs, o.backoffMaxMs, o.random),
    );

  /** Record a failed attempt held by `owner` (with its last unwritten progress `reported`); a retry gets its ticket. */
  async function fail(
    row: JobRow,
    owner: string,
    error: TaskError,
    retryable: boolean,
    { expiredBefore, reported }: { expiredBefore?: number; reported?: Updateable<JobsTable> } = {},
  ) {
    const now = clock.now();
    const opts = expiredBefore === undefined ? {} : { expiredBefore };
    const patch = { ...reported, ...failurePatch(row, error, retryable, now) };
    const updated = await store.updateOwned(row.id, owner, patch, opts);
    emit(updated);
    if (updated?.state === 'failed') await tickets.dispatch([updated]);
  }

  /** Put a ticket back in BullMQ's delayed set; the processor must then throw the returned error. */
  async function delay(job: Ticket, token: string, until: number): Promise<DelayedError> {
    await job.moveToDelayed(until, token);
    return new DelayedError();
  }

  /** Claim the ticket's task, or settle what the ticket means now; undefined when there is nothing to run. */
  async function admit(job: Ticket, token: string): Promise<JobRow | undefined> {
    const ticket = job.id as string;
    const owner = leaseOwner(ticket, token);
    const now = clock.now();
    const claimed = await store.claimById(job.data.taskId, owner, now, o.leaseMs);
    if (claimed) return claimed;
    const row = await store.get(job.data.taskId);
    if (row?.state === 'queued' || row?.state === 'failed') {
      // An older ticket of a task that has moved on: make sure the current one exists, drop this one.
      if (ticketId(row) !== ticket) await tickets.dispatch([row]);
      else if (row.runAt > now) throw await delay(job, token, row.runAt);
    } else if (row?.state === 'running' && row.leaseOwner?.startsWith(`${ticket}@`)) {
      // An earlier holder of this very ticket lost its lock (BullMQ handed the ticket on): take over.
      await fail(row, row.leaseOwner, leaseExpiredError(row.leaseOwner), true);
    }
    // Otherwise running under another ticket or an external worker, or final: nothing to do.
    return undefined;
  }

  /** Run one attempt; `release` frees its type's slot here once the handler has settled (as `db-queue.ts`). */
  async function run(job: Ticket, token: string, row: JobRow, release: () => void): Promise<void> {
    const owner = leaseOwner(job.id as string, token);
    const controller = new AbortController();
    let settle = () => {};
    const done = new Promise<void>((r) => (settle = r));
    running.set(job.id as string, { taskId: row.id, owner, controller, done });
    emit(row);
    const reports = progressReports(
      async (patch) => emit(await store.updateOwned(row.id, owner, patch)),
      controller.signal,
      () => clock.now(),
    );
    try {
      const outcome = await runAttempt(handlers.get(row.type), row, controller, reports.progress);
      release();
      const now = clock.now();
      const reported = reports.take();
      if (outcome.kind === 'deferred') {
        // The sweep fails it if the external worker has not reported when this lease ends.
        const lease = { ...reported, leaseOwner: EXTERNAL_LEASE_OWNER, leaseExpiresAt: now + outcome.leaseMs };
        await store.updateOwned(row.id, owner, lease);
      } else if (outcome.kind === 'succeeded') {
        emit(await store.updateOwned(row.id, owner, { ...reported, ...successPatch(outcome.result, now) }));
      } else if (outcome.kind === 'failed') {
        await fail(row, owner, outcome.error, outcome.retryable, { reported });
      } else if (outcome.reason === 'shutdown') {
        const released = await store.release(row.id, owner, now);
        emit(released);
        if (released) await tickets.dispatch([released]);
      }
      // Cancelled or lease lost: whoever did that already changed the row.
    } finally {
      running.delete(job.id as string);
      settle();
    }
  }

  /** The BullMQ processor. Returning completes (and removes) the ticket. */
  async function processTicket(job: Ticket, token: string | undefined): Promise<void> {
    if (!token) throw new Error('BullMQ gave no lock token');
    const def = handlers.get(job.name);
    const type = job.name;
    if (!def || (perType.get(type) ?? 0) >= def.concurrency) {
      const err = await delay(job, token, clock.now() + parkMs);
      parked.set(type, [...(parked.get(type) ?? []), job.id as string]);
      throw err;
    }
    perType.set(type, (perType.get(type) ?? 0) + 1);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      perType.set(type, (perType.get(type) ?? 1) - 1);
      const next = parked.get(type)?.shift();
      if (next) void tickets.promote([next]);
    };
    try {
      const row = await admit(job, token);
      if (row) await run(job, token, row, release);
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      // The database failed us: try this ticket again later (a claimed row is then taken over and retried).
      o.log.error({ err, taskId: job.data.taskId }, 'task bookkeeping failed');
      throw await delay(job, token, clock.now() + o.backoffBaseMs);
    } finally {
      release();
    }
  }

  const local = (taskId: string) => [...running.values()].find((r) => r.taskId === taskId);

  /**
   * Abort the handlers here whose task was cancelled or taken over elsewhere. Runs at the lock's heartbeat:
   * like the database backend, a worker learns it lost a task when it next renews its hold on it.
   */
  async function checkRunning(): Promise<void> {
    const mine = [...running.values()];
    const rows = new Map((await store.holders(mine.map((r) => r.taskId))).map((r) => [r.id, r]));
    for (const r of mine) {
      const row = rows.get(r.taskId);
      if (row?.state === 'running' && row.leaseOwner === r.owner) continue;
      r.controller.abort(new TaskAbortedError(row?.state === 'cancelled' ? 'cancelled' : 'lease_lost'));
    }
  }

  async function sweep(): Promise<void> {
    const now = clock.now();
    for (const row of await store.expired(now, 100)) {
      if (row.leaseOwner)
        await fail(row, row.leaseOwner, leaseExpiredError(row.leaseOwner), true, { expiredBefore: now });
    }
    await tickets.dispatch(await store.waiting(now - o.leaseMs, 100));
    await schedules.fire(now);
  }

  function scheduleSweep(): void {
    sweepTimer = setTimeout(() => {
      sweeping = sweep()
        .catch((err) => o.log.error({ err }, 'task queue sweep failed'))
        .finally(() => {
          if (started) scheduleSweep();
        });
    }, o.pollIntervalMs);
  }

  function startWorker(): Worker<TicketData, void, string> {
    workerClient = redis.waitingClient();
    const w = new Worker<TicketData, void, string>(
      o.queueName,
      (job, token) => {
        const p = processTicket(job, token);
        inflight.add(p);
        return p.finally(() => inflight.delete(p));
      },
      {
        connection: workerClient,
        prefix: bullPrefix(redis.prefix),
        name: o.workerId,
        concurrency: o.concurrency,
        lockDuration: o.leaseMs,
        lockRenewTime: heartbeatMs,
        stalledInterval: o.pollIntervalMs,
        // Attempts are counted in the database; a ticket may stall any number of times.
        maxStalledCount: Number.MAX_SAFE_INTEGER,
        // The pause after a Redis error in the fetch loop, which `close()` also waits out (15 s by default):
        // our clients reconnect within a second anyway.
        runRetryDelay: 1000,
        removeOnComplete: { count: 0 },
        removeOnFail: { count: 0 },
      },
    );
    // Lock errors are expected after a takeover; an unhandled 'error' event would crash the process.
    w.on('error', (err) => o.log.error({ err }, 'task worker: BullMQ error'));
    w.on('lockRenewalFailed', (ids) => {
      for (const id of ids) running.get(id)?.controller.abort(new TaskAbortedError('lease_lost'));
    });
    return w;
  }

  const queue: JobQueue = {
    ...taskRecords(store, clock, events, {
      failurePatch,
      requeued: (rows) => tickets.dispatch(rows),
      cancelled: (id) => local(id)?.controller.abort(new TaskAbortedError('cancelled')),
      settling: (id) => local(id)?.done,
    }),

    register(def) {
      handlers.set(def.type, { ...def, concurrency: def.concurrency ?? o.concurrency } as Handler);
    },
    handles: (type) => handlers.has(type),

    async submit(input) {
      const now = clock.now();
      const { row, duplicate } = await store.insert(newJobRow(input, handlers.get(input.type), now, o));
      if (!duplicate) {
        emit(row);
        await tickets.dispatch([row]);
      }
      return { task: toTask(row), duplicate };
    },

    schedule: (def) => schedules.add(def),

    async start() {
      if (started) return;
      started = true;
      worker = startWorker();
      scheduleSweep();
      heartbeat = setInterval(() => {
        checkRunning().catch(() => {}); // a database hiccup: the next beat tries again
      }, heartbeatMs);
    },

    async stop(opts = {}) {
      const w = worker;
      worker = undefined;
      if (started) {
        started = false;
        clearTimeout(sweepTimer);
        clearInterval(heartbeat);
        await sweeping;
      }
      const closing = w?.close(); // fetches nothing more; resolves once every processor returned
      // Tickets parked here may run elsewhere at once.
      await tickets.promote([...parked.values()].flat());
      parked.clear();
      let graceTimer: NodeJS.Timeout | undefined;
      const all = () => Promise.allSettled([...inflight]);
      await Promise.race([all(), new Promise((r) => (graceTimer = setTimeout(r, opts.graceMs ?? o.stopGraceMs)))]);
      clearTimeout(graceTimer);
      for (const r of running.values()) r.controller.abort(new TaskAbortedError('shutdown'));
      await closing;
      workerClient?.disconnect();
      workerClient = undefined;
      await tickets.close();
    },
  };
  return queue;
}
