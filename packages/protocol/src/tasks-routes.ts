import { ADMIN_ROLES } from './common.js';
import { defineRoute } from './routes.js';
import {
  AdminListTasksQuerySchema,
  CountResultSchema,
  ListTasksQuerySchema,
  PurgeTasksSchema,
  RedriveTasksSchema,
  SetEnabledTaskTypesSchema,
  SubmitTaskResultSchema,
  SubmitTaskSchema,
  TaskIdParamsSchema,
  TaskPageSchema,
  TaskSchema,
  TaskTypeListSchema,
} from './tasks.js';

const tags = ['tasks'] as const;

/** Cancelling and retrying a task: the same shape, two verbs. */
const taskVerb = {
  method: 'POST',
  tags,
  access: 'authenticated',
  params: TaskIdParamsSchema,
  status: 200,
  response: TaskSchema,
  errors: [404, 409],
} as const;

/**
 * The task queue's REST routes, defined once for the server and the SDK (see `defineRoute`): any signed-in
 * caller over their own tasks (`/api/v1/tasks…`), admins over the org's (`/api/v1/admin/tasks…`).
 * The worker's signed callback stays hand-written in the server's `tasks.http.ts` (it is verified on the raw body).
 */
export const tasksRouteDefs = {
  submitTask: defineRoute({
    method: 'POST',
    path: '/api/v1/tasks',
    summary: 'Submit a task (same idempotencyKey → the same task, 200 instead of 201)',
    description:
      'Caps: `TASK_MAX_PENDING_PER_USER` and `TASK_MAX_PENDING_PER_ORG` queued or running public tasks; past them 429 `too_many_tasks`.',
    tags,
    access: 'authenticated',
    body: SubmitTaskSchema,
    status: 201,
    repeatStatus: 200,
    response: SubmitTaskResultSchema,
    errors: [400, 429],
  }),
  taskTypes: defineRoute({
    method: 'GET',
    path: '/api/v1/tasks/types',
    summary: 'Public task types and which my org has enabled',
    tags,
    access: 'authenticated',
    status: 200,
    response: TaskTypeListSchema,
  }),
  listTasks: defineRoute({
    method: 'GET',
    path: '/api/v1/tasks',
    summary: 'My tasks, newest first',
    tags,
    access: 'authenticated',
    query: ListTasksQuerySchema,
    status: 200,
    response: TaskPageSchema,
  }),
  getTask: defineRoute({
    method: 'GET',
    path: '/api/v1/tasks/:id',
    summary: 'One of my tasks',
    tags,
    access: 'authenticated',
    params: TaskIdParamsSchema,
    status: 200,
    response: TaskSchema,
    errors: [404],
  }),
  cancelTask: defineRoute({
    ...taskVerb,
    path: '/api/v1/tasks/:id/cancel',
    summary: 'Cancel a queued or running task',
  }),
  retryTask: defineRoute({
    ...taskVerb,
    path: '/api/v1/tasks/:id/retry',
    summary: 'Retry a failed or dead task',
  }),
  adminListTasks: defineRoute({
    method: 'GET',
    path: '/api/v1/admin/tasks',
    summary: "My org's tasks in one state (default: the dead-letter queue)",
    tags,
    access: ADMIN_ROLES,
    query: AdminListTasksQuerySchema,
    status: 200,
    response: TaskPageSchema,
  }),
  inspectTask: defineRoute({
    method: 'GET',
    path: '/api/v1/admin/tasks/:id',
    summary: 'Inspect any task of my org',
    tags,
    access: ADMIN_ROLES,
    params: TaskIdParamsSchema,
    status: 200,
    response: TaskSchema,
    errors: [404],
  }),
  redriveTasks: defineRoute({
    method: 'POST',
    path: '/api/v1/admin/tasks/redrive',
    summary: 'Send dead tasks back to the queue',
    tags,
    access: ADMIN_ROLES,
    body: RedriveTasksSchema,
    status: 200,
    response: CountResultSchema,
  }),
  purgeTasks: defineRoute({
    method: 'POST',
    path: '/api/v1/admin/tasks/purge',
    summary: 'Delete finished tasks of one state',
    tags,
    access: ADMIN_ROLES,
    body: PurgeTasksSchema,
    status: 200,
    response: CountResultSchema,
  }),
  setEnabledTaskTypes: defineRoute({
    method: 'PUT',
    path: '/api/v1/admin/tasks/types',
    summary: "Set my org's allow-list of public task types",
    tags,
    access: ADMIN_ROLES,
    body: SetEnabledTaskTypesSchema,
    status: 200,
    response: TaskTypeListSchema,
  }),
};
