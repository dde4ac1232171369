import {
  tasksRouteDefs as routes,
  type SubmitTask,
  type TaskState,
  type TaskUpdatedEvent,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/** Paging and filter of the task lists. */
export interface TaskListQuery {
  limit?: number;
  cursor?: string;
  state?: TaskState;
}

/**
 * The task queue (`/api/v1/tasks…`): submit, look up, cancel, retry; admins also see the dead-letter queue
 * and send dead tasks back. Live changes (state, progress) arrive as `task.updated`: `client.tasks.subscribe`.
 *
 * @example
 * ```ts
 * const { task, duplicate } = await client.tasks.submit(
 *   { type: 'demo.sleep', payload: { seconds: 10 } },
 *   { idempotencyKey: 'nightly-2026-05-01' }, // submitting again returns the same task
 * );
 * const stop = client.tasks.subscribe((t) => {
 *   if (t.id === task.id) console.log(t.state, t.progress.percent, t.progress.message);
 * });
 * await client.tasks.cancel(task.id);
 * stop();
 * ```
 */
export const tasksApi = (call: RestCall) => ({
  /** The public task types and whether my org has enabled each. */
  types: () => callRoute(call, routes.taskTypes),
  /**
   * Submit a task. With an `idempotencyKey` (in `body` or `opts`) a repeat returns the existing task with
   * `duplicate: true`, so a retry after a lost answer never runs the work twice.
   */
  // By hand, like its server route (not in the route table): it answers 201 or, for a repeat, 200.
  submit: (body: SubmitTask, opts: { idempotencyKey?: string } = {}) =>
    callRoute(call, routes.submitTask, {
      body: opts.idempotencyKey ? { ...body, idempotencyKey: opts.idempotencyKey } : body,
    }),
  /** One of my tasks (with its payload, result and error). */
  get: (id: string) => callRoute(call, routes.getTask, { params: { id } }),
  /** My tasks, newest first, optionally of one state. */
  list: (query: TaskListQuery = {}) => callRoute(call, routes.listTasks, { query: { ...query } }),
  /** Cancel a queued or running task (`conflict` once it has finished). */
  cancel: (id: string) => callRoute(call, routes.cancelTask, { params: { id } }),
  /** Run a failed or dead task again from attempt 0 (`conflict` for any other state). */
  retry: (id: string) => callRoute(call, routes.retryTask, { params: { id } }),
  /** Admins: the org's tasks in one state, by default the dead-letter queue (`dead`). */
  deadLetters: (query: TaskListQuery & { type?: string } = {}) =>
    callRoute(call, routes.adminListTasks, { query: { state: 'dead', ...query } }),
  /** Admins: send dead tasks back to the queue, by ids or all of a type; answers how many. */
  redrive: (target: { ids?: string[]; type?: string }) => callRoute(call, routes.redriveTasks, { body: target }),
});

/** `client.tasks`: the REST calls above plus live updates. */
export type TasksApi = ReturnType<typeof tasksApi> & {
  /**
   * Every `task.updated` this user may see (own tasks; admins: the org's), progress included. Returns the
   * unsubscribe function.
   */
  subscribe(handler: (task: TaskUpdatedEvent) => void): () => void;
};
