import { randomUUID } from 'node:crypto';
import type { Task, TaskError } from '@switchboard/protocol';
import type { Updateable } from 'kysely';
import { ZodError } from 'zod';
import { AppError } from '../../errors.js';
import type { Database } from '../db/database.js';
import type { Clock } from '../platform.js';
import { backoffDelay } from './backoff.js';
import { type JobRow, jobsStore, toTask } from './db-store.js';
import type { JobsTable } from './jobs.tables.js';
import {
  type AbortReason,
  type Deferred,
  type HandlerDef,
  type JobQueue,
  PermanentTaskError,
  type SubmitOptions,
  TaskAbortedError,
  type TaskContext,
} from './queue.js';
import { scheduler } from './schedule.js';

export interface DbJobQueueOptions {
  /** Names this process in `leaseOwner`; unique per process. */
  workerId?: string;
  /** Tasks run at once in this process. */
  concurrency?: number;
  /** How often to look for due work submitted elsewhere, retries due and expired leases. */
  pollIntervalMs?: number;
  /** A running task not heartbeated for this long is taken over by another worker. */
  leaseMs?: number;
  heartbeatMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  defaultMaxAttempts?: number;
  defaultTimeoutMs?: number;
  /** Default wait for running handlers on `stop()` before they are aborted and released. */
  stopGraceMs?: number;
  random?: () => number;
  log?: { error(obj: object, msg: string): void };
}

interface Running {
  type: string;
  controller: AbortController;
  done: Promise<void>;
}

/** The lease owner of a task handed to an external worker (see `TaskContext.defer`). */
export const EXTERNAL_LEASE_OWNER = 'external';

const isDeferred = (v: unknown): v is Deferred => typeof v === 'object' && v !== null && 'deferred' in v;

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  // A handler that ignores its signal keeps running after we stop waiting; its late rejection is expected.
  p.catch(() => {});
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The durable job queue on the database (SQLite or PostgreSQL) with an in-process worker pool. A task is
 * durable once `submit` resolves; a worker holds a running task by a lease it renews by heartbeat, and a
 * task whose lease expired (its process was killed) is failed and retried by whichever worker sees it.
 */
export function createDbJobQueue(database: Database, clock: Clock, options: DbJobQueueOptions = {}): JobQueue {
  const o = {
    workerId: options.workerId ?? `w-${randomUUID()}`,
    concurrency: options.concurrency ?? 16,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    leaseMs: options.leaseMs ?? 30_000,
    backoffBaseMs: options.backoffBaseMs ?? 1000,
    backoffMaxMs: options.backoffMaxMs ?? 5 * 60_000,
    defaultMaxAttempts: options.defaultMaxAttempts ?? 3,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 5 * 60_000,
    stopGraceMs: options.stopGraceMs ?? 5000,
    random: options.random ?? Math.random,
    log: options.log ?? { error: () => {} },
  };
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(o.leaseMs / 3));
  const store = jobsStore(database);
  const handlers = new Map<string, HandlerDef & { concurrency: number }>();
  const running = new Map<string, Running>();
  const perType = new Map<string, number>();
  const listeners = new Set<(task: Task) => void>();
  const schedules = scheduler((input) => queue.submit(input));
  let started = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let lastReap = 0;
  const timers = new Set<NodeJS.Timeout>();

  function emit(row: JobRow | undefined): void {
    if (!row) return;
    const task = toTask(row);
    for (const l of listeners) {
      try {
        l(task);
      } catch (err) {
        o.log.error({ err, taskId: task.id }, 'task listener failed');
      }
    }
  }

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
    const base = { error: JSON.stringify(error), leaseOwner: null, leaseExpiresAt: null, updatedAt: now };
    if (!retryable || row.attempts >= row.maxAttempts) return { ...base, state: 'dead', finishedAt: now };
    const delay = backoffDelay(row.attempts, o.backoffBaseMs, o.backoffMaxMs, o.random);
    wakeIn(delay);
    return { ...base, state: 'failed', runAt: now + delay };
  }

  const successPatch = (result: unknown, now: number): Updateable<JobsTable> => ({
    state: 'succeeded',
    result: result === undefined ? null : JSON.stringify(result),
    progressPercent: 100,
    leaseOwner: null,
    leaseExpiresAt: null,
    finishedAt: now,
    updatedAt: now,
  });

  async function abortReason(id: string): Promise<AbortReason> {
    const row = await store.get(id);
    return row?.state === 'cancelled' ? 'cancelled' : 'lease_lost';
  }

  async function run(row: JobRow, controller: AbortController): Promise<void> {
    const def = handlers.get(row.type);
    const abort = (reason: AbortReason) => controller.abort(new TaskAbortedError(reason));
    const timeout = setTimeout(() => abort('timeout'), row.timeoutMs);
    const heartbeat = setInterval(() => {
      store.extendLease(row.id, o.workerId, clock.now() + o.leaseMs).then(
        async (held) => held || abort(await abortReason(row.id)),
        () => {}, // a database hiccup: the next beat tries again, the lease has slack
      );
    }, heartbeatMs);
    const task = toTask(row);
    const ctx: TaskContext = {
      task,
      attempt: row.attempts,
      signal: controller.signal,
      async progress(percent, message) {
        if (controller.signal.aborted) return;
        const p = Math.max(0, Math.min(100, Math.round(percent)));
        emit(
          await store.updateOwned(row.id, o.workerId, {
            progressPercent: p,
            progressMessage: message ?? null,
            updatedAt: clock.now(),
          }),
        );
      },
      defer: (leaseMs) => ({ deferred: true, leaseMs }),
    };
    try {
      if (!def) throw new PermanentTaskError(`no handler for task type ${row.type}`, 'no_handler');
      const payload = def.schema.parse(task.payload);
      const out = await raceAbort(def.handler(payload, ctx), controller.signal);
      const now = clock.now();
      if (isDeferred(out)) {
        await store.updateOwned(row.id, o.workerId, {
          leaseOwner: EXTERNAL_LEASE_OWNER,
          leaseExpiresAt: now + out.leaseMs,
        });
      } else {
        emit(await store.updateOwned(row.id, o.workerId, successPatch(out, now)));
      }
    } catch (err) {
      const now = clock.now();
      const reason = controller.signal.aborted ? (controller.signal.reason as TaskAbortedError).reason : undefined;
      if (reason === 'shutdown') emit(await store.release(row.id, o.workerId, now));
      else if (reason === 'cancelled' || reason === 'lease_lost') {
        // Someone else already changed the task (cancel, or a reaper after our lease ran out).
      } else {
        const error: TaskError =
          reason === 'timeout'
            ? { message: `timed out after ${row.timeoutMs} ms`, code: 'timeout' }
            : err instanceof ZodError
              ? { message: `invalid payload: ${err.issues.map((i) => i.message).join('; ')}`, code: 'invalid_payload' }
              : {
                  message: (err as Error)?.message ?? String(err),
                  ...(err instanceof PermanentTaskError && err.code ? { code: err.code } : {}),
                };
        const retryable = !(err instanceof PermanentTaskError || err instanceof ZodError);
        emit(await store.updateOwned(row.id, o.workerId, failurePatch(row, error, retryable, now)));
      }
    } finally {
      clearTimeout(timeout);
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
      const external = row.leaseOwner === EXTERNAL_LEASE_OWNER;
      const error = {
        message: external ? 'the external worker did not report in time' : 'the worker stopped renewing its lease',
        code: 'lease_expired',
      };
      emit(
        await store.updateOwned(row.id, row.leaseOwner, failurePatch(row, error, true, now), { expiredBefore: now }),
      );
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

  async function mustChange(id: string, row: JobRow | undefined, verb: string): Promise<Task> {
    if (row) return toTask(row);
    const current = await store.get(id);
    if (!current) throw new AppError('not_found', 'no such task');
    throw new AppError('conflict', `cannot ${verb} a task that is ${current.state}`);
  }

  const queue: JobQueue = {
    register(def) {
      handlers.set(def.type, { ...def, concurrency: def.concurrency ?? o.concurrency } as HandlerDef & {
        concurrency: number;
      });
      wake();
    },
    handles: (type) => handlers.has(type),

    async submit(input: SubmitOptions) {
      const def = handlers.get(input.type);
      const payload = def ? def.schema.parse(input.payload ?? {}) : (input.payload ?? {});
      const now = clock.now();
      const orgId = input.orgId ?? null;
      const ownerId = input.ownerId ?? null;
      const key = input.idempotencyKey ?? null;
      const { row, duplicate } = await store.insert({
        id: randomUUID(),
        type: input.type,
        orgId,
        ownerId,
        idempotencyKey: key,
        dedupeKey: key === null ? null : `${orgId ?? ''}:${ownerId ?? ''}:${key}`,
        state: 'queued',
        priority: input.priority ?? 0,
        payload: JSON.stringify(payload),
        progressPercent: 0,
        progressMessage: null,
        result: null,
        error: null,
        attempts: 0,
        maxAttempts: input.maxAttempts ?? def?.maxAttempts ?? o.defaultMaxAttempts,
        timeoutMs: input.timeoutMs ?? def?.timeoutMs ?? o.defaultTimeoutMs,
        runAt: Math.max(now, input.runAt ?? now),
        leaseOwner: null,
        leaseExpiresAt: null,
        createdAt: now,
        updatedAt: now,
        startedAt: null,
        finishedAt: null,
      });
      if (!duplicate) {
        emit(row);
        if (row.runAt <= now) wake();
        else wakeIn(row.runAt - now);
      }
      return { task: toTask(row), duplicate };
    },

    async get(id) {
      const row = await store.get(id);
      return row && toTask(row);
    },

    async list(filter) {
      const page = await store.list(filter);
      return { items: page.items.map(toTask), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },

    async cancel(id) {
      const row = await store.cancel(id, clock.now());
      emit(row);
      running.get(id)?.controller.abort(new TaskAbortedError('cancelled'));
      return mustChange(id, row, 'cancel');
    },

    async retry(id) {
      const [row] = await store.requeue({ ids: [id] }, ['failed', 'dead'], clock.now());
      emit(row);
      wake();
      return mustChange(id, row, 'retry');
    },

    async redrive(filter) {
      const rows = await store.requeue(filter, ['dead'], clock.now());
      for (const row of rows) emit(row);
      wake();
      return rows.length;
    },

    purge: (filter) => store.purge(filter),

    async countByState() {
      return Object.fromEntries((await store.countByState()).map((r) => [r.state, r.n]));
    },

    async report(id, outcome) {
      const now = clock.now();
      const row = await store.get(id);
      if (row?.state !== 'running' || row.leaseOwner !== EXTERNAL_LEASE_OWNER) return false;
      const patch: Updateable<JobsTable> =
        outcome.event === 'progress'
          ? {
              progressPercent: Math.round(outcome.progress.percent),
              progressMessage: outcome.progress.message ?? null,
              updatedAt: now,
            }
          : outcome.event === 'complete'
            ? successPatch(outcome.result, now)
            : failurePatch(row, outcome.error, outcome.retryable ?? true, now);
      const updated = await store.updateOwned(id, EXTERNAL_LEASE_OWNER, patch);
      emit(updated);
      return updated !== undefined;
    },

    schedule: (def) => schedules.add(def),

    on(_event, listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async start() {
      if (started) return;
      started = true;
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
