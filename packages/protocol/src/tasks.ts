import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf, TimestampSchema } from './common.js';

/**
 * Where a task is in its life:
 * - `queued`: waiting for a worker (possibly until `runAt`)
 * - `running`: a worker holds its lease
 * - `failed`: an attempt failed; the next attempt is due at `runAt` (backoff)
 * - `succeeded` | `cancelled` | `dead`: final; `dead` is the dead-letter queue (every attempt failed)
 */
export const TaskStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead']);
export type TaskState = z.infer<typeof TaskStateSchema>;

/** A task type name: dotted lowercase words, e.g. `demo.sleep`, `export.tasks`. */
export const TaskTypeSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*$/, 'dotted lowercase words, e.g. demo.sleep');

/** How far a running task is: a percentage and an optional human-readable step. */
export const TaskProgressSchema = z.object({
  percent: z.number().min(0).max(100),
  message: z.string().max(500).optional(),
});
export type TaskProgress = z.infer<typeof TaskProgressSchema>;

/** Why the last attempt failed. `code` is machine-readable where the failure is known (`timeout`, `lease_expired`). */
export const TaskErrorSchema = z.object({ message: z.string(), code: z.string().optional() });
export type TaskError = z.infer<typeof TaskErrorSchema>;

/**
 * A durable background task.
 *
 * @example
 * ```json
 * { "id": "7c1…", "type": "demo.sleep", "state": "running", "attempts": 1, "maxAttempts": 3,
 *   "progress": { "percent": 40, "message": "step 2 of 5" }, "payload": { "seconds": 5 }, … }
 * ```
 */
export const TaskSchema = z.object({
  id: IdSchema,
  type: TaskTypeSchema,
  /** The org and user that own the task; both null for the platform's own maintenance tasks. */
  orgId: IdSchema.nullable(),
  ownerId: IdSchema.nullable(),
  idempotencyKey: z.string().nullable(),
  state: TaskStateSchema,
  /** Higher runs first. */
  priority: z.number().int(),
  payload: z.unknown(),
  progress: TaskProgressSchema,
  result: z.unknown().nullable(),
  error: TaskErrorSchema.nullable(),
  /** Attempts started in the current series (a retry or redrive starts a new series at 0). */
  attempts: z.number().int().nonnegative(),
  maxAttempts: z.number().int().positive(),
  timeoutMs: z.number().int().positive(),
  /** Not before this time (delay, or the next attempt after a backoff). */
  runAt: TimestampSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  startedAt: TimestampSchema.nullable(),
  finishedAt: TimestampSchema.nullable(),
});
export type Task = z.infer<typeof TaskSchema>;

/**
 * `POST /api/v1/tasks`: submit a task of a type the org has enabled. The same `idempotencyKey` from the same
 * user returns the existing task (`duplicate: true`) instead of creating a second one.
 *
 * @example
 * ```json
 * { "type": "demo.sleep", "payload": { "seconds": 3 }, "idempotencyKey": "import-2024-05-01" }
 * ```
 */
export const SubmitTaskSchema = z.object({
  type: TaskTypeSchema,
  payload: z.unknown().default({}),
  idempotencyKey: z.string().min(1).max(200).optional(),
  priority: z.number().int().min(-100).max(100).optional(),
  /** Run no earlier than this time. */
  runAt: TimestampSchema.optional(),
  /** Up to 10 attempts through the public API. */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /** Per attempt; at most one hour through the public API. */
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(60 * 60 * 1000)
    .optional(),
});
export type SubmitTask = z.input<typeof SubmitTaskSchema>;

export const SubmitTaskResultSchema = z.object({ task: TaskSchema, duplicate: z.boolean() });
export type SubmitTaskResult = z.infer<typeof SubmitTaskResultSchema>;

/** `GET /api/v1/tasks`: the caller's tasks, newest first, optionally one state. */
export const ListTasksQuerySchema = PageQuerySchema.extend({ state: TaskStateSchema.optional() });
export type ListTasksQuery = z.input<typeof ListTasksQuerySchema>;

export const TaskPageSchema = pageOf(TaskSchema);
export type TaskPage = z.infer<typeof TaskPageSchema>;

export const TaskIdParamsSchema = z.object({ id: IdSchema });

/** `GET /api/v1/tasks/types`: the public task types and whether the caller's org has enabled each. */
export const TaskTypeInfoSchema = z.object({
  type: TaskTypeSchema,
  description: z.string(),
  enabled: z.boolean(),
  /** Delivered to an external worker over signed HTTP rather than run in process. */
  external: z.boolean(),
});
export const TaskTypeListSchema = z.object({ items: z.array(TaskTypeInfoSchema) });
export type TaskTypeInfo = z.infer<typeof TaskTypeInfoSchema>;

/** `PUT /api/v1/admin/tasks/types`: the org's allow-list of public task types (replaces the default set). */
export const SetEnabledTaskTypesSchema = z.object({ types: z.array(TaskTypeSchema).max(100) });

/** `POST /api/v1/admin/tasks/redrive`: send dead tasks back to the queue, by id or all of a type. */
export const RedriveTasksSchema = z
  .object({ ids: z.array(IdSchema).min(1).max(1000).optional(), type: TaskTypeSchema.optional() })
  .refine((v) => v.ids !== undefined || v.type !== undefined, 'give ids or type');

/** `POST /api/v1/admin/tasks/purge`: delete final tasks of one state, optionally only those older than a time. */
export const PurgeTasksSchema = z.object({
  state: z.enum(['dead', 'succeeded', 'cancelled']),
  finishedBefore: TimestampSchema.optional(),
});
export const CountResultSchema = z.object({ count: z.number().int().nonnegative() });

/** `GET /api/v1/admin/tasks`: the org's tasks, default the dead-letter queue. */
export const AdminListTasksQuerySchema = PageQuerySchema.extend({
  state: TaskStateSchema.default('dead'),
  type: TaskTypeSchema.optional(),
});

/**
 * Socket event `task.updated` (server → client): a task changed state or reported progress. Sent to the
 * owner's sockets and to the org's admins. Same shape as `Task` without the payload.
 */
export const TaskUpdatedEventSchema = TaskSchema.omit({ payload: true });
export type TaskUpdatedEvent = z.infer<typeof TaskUpdatedEventSchema>;

/** What the server POSTs to an external worker (signed; see `TASK_SIGNATURE_HEADER`). */
export const ExternalTaskDeliverySchema = z.object({
  taskId: IdSchema,
  type: TaskTypeSchema,
  attempt: z.number().int().positive(),
  payload: z.unknown(),
  /** Where to report: `POST` here, signed the same way. */
  callbackUrl: z.string(),
});
export type ExternalTaskDelivery = z.infer<typeof ExternalTaskDeliverySchema>;

/**
 * `POST /api/v1/tasks/callback`: an external worker reports on a task it was delivered. Signed with
 * `HMAC-SHA256(timestamp + "." + body)` in the `x-switchboard-signature: t=<unix ms>,v1=<hex>` header.
 */
export const TaskCallbackSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('progress'), taskId: IdSchema, progress: TaskProgressSchema }),
  z.object({ event: z.literal('complete'), taskId: IdSchema, result: z.unknown().optional() }),
  z.object({
    event: z.literal('fail'),
    taskId: IdSchema,
    error: TaskErrorSchema,
    retryable: z.boolean().default(true),
  }),
]);
export type TaskCallback = z.input<typeof TaskCallbackSchema>;

export const TaskCallbackAckSchema = z.object({ ok: z.literal(true), accepted: z.boolean() });

/** The header that carries `t=<unix ms>,v1=<hex HMAC-SHA256(t + "." + body)>` on deliveries and callbacks. */
export const TASK_SIGNATURE_HEADER = 'x-switchboard-signature';
