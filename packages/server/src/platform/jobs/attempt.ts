import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { TaskError } from '@switchboard/protocol';
import type { Updateable } from 'kysely';
import { ZodError } from 'zod';
import { timeOrderedId } from '../time-ordered-id.js';
import type { JobRow } from './db-store.js';
import { toTask } from './db-store.js';
import type { JobsTable } from './jobs.tables.js';
import {
  type AbortReason,
  type Deferred,
  type HandlerDef,
  PermanentTaskError,
  type SubmitOptions,
  TaskAbortedError,
  type TaskContext,
} from './queue.js';

/**
 * What every backend does the same way around one attempt and one task row: build the row of a submit,
 * run a handler against its signal, classify how the attempt ended, and the patches that record it.
 * The backends differ only in how a task reaches a worker (polling the table, or BullMQ dispatch).
 */

/** The lease owner of a task handed to an external worker (see `TaskContext.defer`). */
export const EXTERNAL_LEASE_OWNER = 'external';

export type Handler = HandlerDef & { concurrency: number };

/** Tuning every backend takes. */
export interface JobQueueOptions {
  /** Names this process's worker (in lease owners and logs); unique per process. */
  workerId?: string;
  /** Tasks run at once in this process. */
  concurrency?: number;
  /** How often to look for work this process was not told about: due retries, expired leases, schedules. */
  pollIntervalMs?: number;
  /** A running task whose worker has not renewed its hold for this long is taken over by another worker. */
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

/**
 * A worker id that names its host and process (`w-<host>-<pid>-<random>`), so a restarted process can tell
 * the leases of its dead predecessor on the same host from a live neighbour's (see `abandonedHere`).
 */
export function newWorkerId(): string {
  return `w-${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * Whether a lease `owner` belonged to a process on this host that is gone: another process id that no longer
 * exists, or this very process id under another worker id (a container restarted with the same pid).
 */
export function abandonedHere(owner: string, self: string): boolean {
  const m = /^w-(.+)-(\d+)-[0-9a-f]{8}$/.exec(owner);
  if (!m || owner === self || m[1] !== os.hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** `options` with every default filled in (the poll interval's default is the backend's). */
export function withDefaults(options: JobQueueOptions, pollIntervalMs: number) {
  return {
    workerId: options.workerId ?? newWorkerId(),
    concurrency: options.concurrency ?? 16,
    pollIntervalMs: options.pollIntervalMs ?? pollIntervalMs,
    leaseMs: options.leaseMs ?? 30_000,
    backoffBaseMs: options.backoffBaseMs ?? 1000,
    backoffMaxMs: options.backoffMaxMs ?? 5 * 60_000,
    defaultMaxAttempts: options.defaultMaxAttempts ?? 3,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 5 * 60_000,
    stopGraceMs: options.stopGraceMs ?? 5000,
    random: options.random ?? Math.random,
    log: options.log ?? { error: () => {} },
  };
}

/** The patch of `ctx.progress(percent, message)`. */
export const progressPatch = (percent: number, message: string | undefined, now: number): Updateable<JobsTable> => ({
  progressPercent: Math.max(0, Math.min(100, Math.round(percent))),
  progressMessage: message ?? null,
  updatedAt: now,
});

/**
 * `ctx.progress` for one attempt, written on the next turn of the event loop, the latest report only. A report
 * the attempt's end overtakes goes into the end's own write (`take`): one write and one push fewer (a no-op
 * task reports 100% and returns at once). A failed write loses that report only: the next one, or the end,
 * writes over it anyway.
 */
export function progressReports(
  write: (patch: Updateable<JobsTable>) => Promise<void>,
  signal: AbortSignal,
  now: () => number,
) {
  let unwritten: Updateable<JobsTable> | undefined;
  const flush = async () => {
    const patch = unwritten;
    unwritten = undefined;
    if (patch && !signal.aborted) await write(patch);
  };
  return {
    progress: async (percent: number, message?: string): Promise<void> => {
      if (signal.aborted) return;
      if (!unwritten) setImmediate(() => flush().catch(() => {}));
      unwritten = progressPatch(percent, message, now());
    },
    /** The report not written yet, for the end's patch (which sets its own `updatedAt`); nothing is left after. */
    take(): Updateable<JobsTable> {
      const { updatedAt: _, ...reported } = unwritten ?? {};
      unwritten = undefined;
      return reported;
    },
  };
}

export interface RowDefaults {
  defaultMaxAttempts: number;
  defaultTimeoutMs: number;
}

/** The row of a new task (`state: queued`); the payload is validated by the handler's schema when known. */
export function newJobRow(input: SubmitOptions, def: HandlerDef | undefined, now: number, d: RowDefaults): JobRow {
  const payload = def ? def.schema.parse(input.payload ?? {}) : (input.payload ?? {});
  const orgId = input.orgId ?? null;
  const ownerId = input.ownerId ?? null;
  const key = input.idempotencyKey ?? null;
  return {
    // Time-ordered (UUIDv7): each new id lands at the end of the primary-key index.
    id: timeOrderedId(),
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
    maxAttempts: input.maxAttempts ?? def?.maxAttempts ?? d.defaultMaxAttempts,
    timeoutMs: input.timeoutMs ?? def?.timeoutMs ?? d.defaultTimeoutMs,
    runAt: Math.max(now, input.runAt ?? now),
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
  };
}

/** The row of a new task that starts at once: its first attempt, held by `worker`. */
export const startedRow = (row: JobRow, worker: string, now: number, leaseMs: number): JobRow => ({
  ...row,
  state: 'running',
  attempts: 1,
  leaseOwner: worker,
  leaseExpiresAt: now + leaseMs,
  startedAt: now,
});

export const successPatch = (result: unknown, now: number): Updateable<JobsTable> => ({
  state: 'succeeded',
  // A failed earlier attempt's error is history now, not the task's outcome.
  error: null,
  result: result === undefined ? null : JSON.stringify(result),
  progressPercent: 100,
  leaseOwner: null,
  leaseExpiresAt: null,
  finishedAt: now,
  updatedAt: now,
});

/**
 * The patch for a failed attempt: retry after `delay(attempts)`, or dead-letter after the last attempt or
 * on a failure retrying cannot fix.
 */
export function failurePatch(
  row: JobRow,
  error: TaskError,
  retryable: boolean,
  now: number,
  delay: (attempts: number) => number,
): Updateable<JobsTable> {
  const base = { error: JSON.stringify(error), leaseOwner: null, leaseExpiresAt: null, updatedAt: now };
  if (!retryable || row.attempts >= row.maxAttempts) return { ...base, state: 'dead', finishedAt: now };
  return { ...base, state: 'failed', runAt: now + delay(row.attempts) };
}

export const leaseExpiredError = (leaseOwner: string): TaskError => ({
  message:
    leaseOwner === EXTERNAL_LEASE_OWNER
      ? 'the external worker did not report in time'
      : 'the worker stopped renewing its lease',
  code: 'lease_expired',
});

/** How one run of a handler ended. */
export type Outcome =
  | { kind: 'succeeded'; result: unknown }
  | { kind: 'deferred'; leaseMs: number }
  /** Cancelled, lease lost or shutdown: someone else decides what the row becomes. */
  | { kind: 'aborted'; reason: Exclude<AbortReason, 'timeout'> }
  | { kind: 'failed'; error: TaskError; retryable: boolean };

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
 * Run `def` on a claimed row until it settles or `controller` aborts; the attempt's timeout aborts it with
 * reason `timeout`. Never throws: every ending is an `Outcome`.
 */
export async function runAttempt(
  def: HandlerDef | undefined,
  row: JobRow,
  controller: AbortController,
  progress: TaskContext['progress'],
): Promise<Outcome> {
  const timeout = setTimeout(() => controller.abort(new TaskAbortedError('timeout')), row.timeoutMs);
  const task = toTask(row);
  const ctx: TaskContext = {
    task,
    attempt: row.attempts,
    signal: controller.signal,
    progress,
    defer: (leaseMs) => ({ deferred: true, leaseMs }),
  };
  try {
    if (!def) throw new PermanentTaskError(`no handler for task type ${row.type}`, 'no_handler');
    const payload = def.schema.parse(task.payload);
    const out = await raceAbort(def.handler(payload, ctx), controller.signal);
    return isDeferred(out) ? { kind: 'deferred', leaseMs: out.leaseMs } : { kind: 'succeeded', result: out };
  } catch (err) {
    const reason = controller.signal.aborted ? (controller.signal.reason as TaskAbortedError).reason : undefined;
    if (reason && reason !== 'timeout') return { kind: 'aborted', reason };
    const error: TaskError =
      reason === 'timeout'
        ? { message: `timed out after ${row.timeoutMs} ms`, code: 'timeout' }
        : err instanceof ZodError
          ? { message: `invalid payload: ${err.issues.map((i) => i.message).join('; ')}`, code: 'invalid_payload' }
          : {
              message: (err as Error)?.message ?? String(err),
              ...(err instanceof PermanentTaskError && err.code ? { code: err.code } : {}),
            };
    return { kind: 'failed', error, retryable: !(err instanceof PermanentTaskError || err instanceof ZodError) };
  } finally {
    clearTimeout(timeout);
  }
}
