import type { Task, TaskError, TaskProgress, TaskState } from '@switchboard/protocol';
import type { z } from 'zod';

/**
 * The platform's durable task queue, one interface for every backend: the database (embedded mode and
 * PostgreSQL, `db-queue.ts`) and BullMQ on Redis (`bullmq-queue.ts`, cluster mode). Every backend must pass `conformance.ts`.
 *
 * Delivery is at least once: a worker that dies mid-task (its lease expires) has the task run again, so a
 * handler makes its side effects idempotent, keyed by `ctx.task.id` or `ctx.task.idempotencyKey`.
 */
export interface JobQueue {
  /** Register the handler of one task type; a worker only claims types it has a handler for. */
  register<S extends z.ZodType>(def: HandlerDef<S>): void;
  /** Whether this node has a handler for `type`. */
  handles(type: string): boolean;
  /**
   * Accept a task (durable once this resolves). The same `idempotencyKey` within the same org and owner
   * returns the existing task with `duplicate: true`.
   */
  submit(input: SubmitOptions): Promise<{ task: Task; duplicate: boolean }>;
  get(id: string): Promise<Task | undefined>;
  list(filter: ListFilter): Promise<{ items: Task[]; nextCursor?: string }>;
  /** How many tasks of every org are in each state right now (queue depth, running, dead…), for metrics. */
  countByState(): Promise<Partial<Record<TaskState, number>>>;
  /** Queued or running tasks of one org (and owner), among `types`: for the per-user and per-org limits. */
  countPending(filter: { orgId: string; ownerId: string; types: readonly string[] }): Promise<PendingCounts>;
  /** Queued / failed: never runs. Running: ends `cancelled` now and its handler's signal fires. */
  cancel(id: string): Promise<Task>;
  /** A `failed` or `dead` task starts a new attempt series now. */
  retry(id: string): Promise<Task>;
  /** Move dead tasks back to `queued` with a new attempt series; returns how many moved. */
  redrive(filter: BulkFilter): Promise<number>;
  /** Delete final tasks of one state; returns how many were deleted. */
  purge(filter: BulkFilter & { state: 'dead' | 'succeeded' | 'cancelled'; finishedBefore?: number }): Promise<number>;
  /**
   * Outcome reported from outside the handler (an external worker's callback) for a task whose handler
   * returned `ctx.defer()`. Resolves to whether it applied (false: the task is no longer running).
   */
  report(id: string, outcome: ExternalOutcome): Promise<boolean>;
  /** Submit `type` on a cron schedule (UTC). Missed runs while no node is up are not caught up. */
  schedule(def: ScheduleDef): void;
  /** Every change of state or progress, after it is durable, from this process. */
  on(event: 'updated', listener: (task: Task) => void): () => void;
  /** Start claiming tasks and firing schedules. */
  start(): Promise<void>;
  /**
   * Stop claiming; wait up to `graceMs` for running handlers, then abort the rest and release their
   * leases so another worker takes them at once.
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

export interface SubmitOptions {
  type: string;
  payload?: unknown;
  orgId?: string | null;
  ownerId?: string | null;
  idempotencyKey?: string;
  /** Higher first; default 0. */
  priority?: number;
  runAt?: number;
  maxAttempts?: number;
  timeoutMs?: number;
}

export interface ListFilter {
  orgId?: string | null;
  ownerId?: string;
  state?: TaskState;
  type?: string;
  limit?: number;
  cursor?: string;
}

export interface BulkFilter {
  orgId?: string | null;
  ids?: readonly string[];
  type?: string;
}

export type ExternalOutcome =
  | { event: 'progress'; progress: TaskProgress }
  | { event: 'complete'; result?: unknown }
  | { event: 'fail'; error: TaskError; retryable?: boolean };

export interface TaskContext {
  task: Task;
  /** 1 for the first attempt of the series. */
  attempt: number;
  /** Fires on cancel, timeout, lost lease or shutdown; `signal.reason` says which. */
  signal: AbortSignal;
  /**
   * Report progress (persisted and pushed as `task.updated`). Resolves at once: the database queue writes the
   * latest report on the next turn of the event loop, or with the attempt's end if that comes first.
   */
  progress(percent: number, message?: string): Promise<void>;
  /**
   * Return this to hand the task to someone outside the process (an external worker) who reports through
   * `JobQueue.report`; the task stays `running` with a lease of `leaseMs`, after which it is retried.
   */
  defer(leaseMs: number): Deferred;
}

export interface Deferred {
  readonly deferred: true;
  readonly leaseMs: number;
}

export interface HandlerDef<S extends z.ZodType = z.ZodType> {
  type: string;
  /** The payload is validated at submit (fail fast) and again before each run. */
  schema: S;
  handler: (payload: z.output<S>, ctx: TaskContext) => Promise<unknown>;
  /** At most this many of this type run at once on this node (keeps one type from taking every slot). */
  concurrency?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  description?: string;
}

export interface ScheduleDef {
  /** Unique name; with the fire time it forms the idempotency key, so one run per tick across nodes. */
  name: string;
  cron: string;
  type: string;
  payload?: unknown;
}

/** Throw this from a handler for a failure that retrying cannot fix: the task goes `dead` at once. */
export class PermanentTaskError extends Error {
  override name = 'PermanentTaskError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The reason a handler's signal carries. */
export type AbortReason = 'cancelled' | 'timeout' | 'lease_lost' | 'shutdown';

export class TaskAbortedError extends Error {
  override name = 'TaskAbortedError';
  constructor(readonly reason: AbortReason) {
    super(`task aborted: ${reason}`);
  }
}

export const FINAL_STATES: readonly TaskState[] = ['succeeded', 'cancelled', 'dead'];

/** Queued + running tasks (among the counted types) of one owner, and of that owner's whole org. */
export interface PendingCounts {
  owner: number;
  org: number;
}
