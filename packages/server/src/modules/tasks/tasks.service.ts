import {
  type ListTasksQuery,
  ListTasksQuerySchema,
  type SubmitTask,
  SubmitTaskSchema,
  type Task,
  type TaskCallback,
  TaskCallbackSchema,
  type TaskPage,
  type TaskState,
  type TaskTypeInfo,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { SIGNATURE_MAX_AGE_MS, verifySignature } from './signing.js';
import type { PublicTaskType } from './tasks.handlers.js';
import { tasksRepo } from './tasks.repo.js';

const isAdmin = (actor: Actor) => actor.role === 'admin' && actor.kind === 'user';

/**
 * The public task API and its admin side. A caller sees their own tasks; an admin sees every task of their
 * org. A task of another org is `not_found`, never `forbidden`, so ids do not leak across orgs.
 */
export function tasksService(platform: Platform, catalogue: readonly PublicTaskType[]) {
  const { jobs } = platform;
  const repo = tasksRepo(platform.database);
  const known = new Map(catalogue.map((t) => [t.type, t]));

  async function enabledTypes(orgId: string): Promise<string[]> {
    return (await repo.enabledTypes(orgId)) ?? catalogue.filter((t) => t.defaultEnabled).map((t) => t.type);
  }

  /** What `actor` may submit: staff the org's list (or the defaults); customers only what an admin listed. */
  async function submittable(actor: Actor): Promise<string[]> {
    if (actor.role !== 'customer') return enabledTypes(actor.orgId);
    return (await repo.enabledTypes(actor.orgId)) ?? [];
  }

  /** Refuse a submit past the pending (queued + running) limits of the user or the org. */
  async function withinLimits(actor: Actor): Promise<void> {
    const { maxPendingPerUser, maxPendingPerOrg } = platform.config.tasks;
    const types = catalogue.map((t) => t.type);
    // One query for both counts: it runs on every submit.
    const { owner: mine, org } = await jobs.countPending({ orgId: actor.orgId, ownerId: actor.userId, types });
    if (mine >= maxPendingPerUser) {
      throw new AppError(
        'too_many_tasks',
        `You have ${mine} tasks queued or running; the limit is ${maxPendingPerUser}`,
      );
    }
    if (org >= maxPendingPerOrg) {
      throw new AppError(
        'too_many_tasks',
        `Your organization has ${org} tasks queued or running; the limit is ${maxPendingPerOrg}`,
      );
    }
  }

  async function visible(actor: Actor, id: string): Promise<Task> {
    const task = await jobs.get(id);
    if (!task || task.orgId !== actor.orgId || (task.ownerId !== actor.userId && !isAdmin(actor))) {
      throw new AppError('not_found', 'no such task');
    }
    return task;
  }

  async function inOrg(actor: Actor, id: string): Promise<Task> {
    const task = await jobs.get(id);
    if (!task || task.orgId !== actor.orgId) throw new AppError('not_found', 'no such task');
    return task;
  }

  return {
    async types(actor: Actor): Promise<TaskTypeInfo[]> {
      const enabled = new Set(await enabledTypes(actor.orgId));
      return catalogue.map((t) => ({
        type: t.type,
        description: t.description,
        enabled: enabled.has(t.type),
        external: t.external,
      }));
    },

    async setEnabledTypes(actor: Actor, types: readonly string[]): Promise<TaskTypeInfo[]> {
      const unknown = types.filter((t) => !known.has(t));
      if (unknown.length) throw new AppError('validation_failed', `not a public task type: ${unknown.join(', ')}`);
      await repo.setEnabledTypes(actor.orgId, [...new Set(types)], platform.clock.now());
      return this.types(actor);
    },

    async submit(actor: Actor, input: SubmitTask): Promise<{ task: Task; duplicate: boolean }> {
      const data = SubmitTaskSchema.parse(input);
      if (!known.has(data.type) || !(await submittable(actor)).includes(data.type)) {
        throw new AppError('forbidden', `task type ${data.type} is not enabled for this org`);
      }
      await withinLimits(actor);
      return jobs.submit({ ...data, orgId: actor.orgId, ownerId: actor.userId });
    },

    get: visible,

    async listMine(actor: Actor, query: ListTasksQuery): Promise<TaskPage> {
      const q = ListTasksQuerySchema.parse(query);
      return jobs.list({ orgId: actor.orgId, ownerId: actor.userId, ...q });
    },

    async cancel(actor: Actor, id: string): Promise<Task> {
      await visible(actor, id);
      return jobs.cancel(id);
    },

    async retry(actor: Actor, id: string): Promise<Task> {
      await visible(actor, id);
      return jobs.retry(id);
    },

    // Admin side: callers are admins of `actor.orgId` (the route says so); everything stays in that org.
    adminList(actor: Actor, q: { state: TaskState; type?: string; limit: number; cursor?: string }): Promise<TaskPage> {
      return jobs.list({ orgId: actor.orgId, ...q });
    },
    inspect: inOrg,
    async redrive(actor: Actor, filter: { ids?: string[]; type?: string }): Promise<number> {
      return jobs.redrive({ orgId: actor.orgId, ...filter });
    },
    async purge(actor: Actor, filter: { state: 'dead' | 'succeeded' | 'cancelled'; finishedBefore?: number }) {
      return jobs.purge({ orgId: actor.orgId, ...filter });
    },

    /**
     * An external worker's signed report. Any signature problem is `unauthenticated` (401); a report on a
     * task that is no longer waiting for one (finished, cancelled) is accepted and ignored.
     */
    async callback(rawBody: string, header: string | undefined): Promise<{ accepted: boolean }> {
      const { signingSecret, signingSecretNext } = platform.config.tasks;
      const secrets = [signingSecret, signingSecretNext].filter((s): s is string => !!s);
      const now = platform.clock.now();
      const v = verifySignature(header, rawBody, secrets, now);
      if (!v.ok) throw new AppError('unauthenticated', `invalid callback signature (${v.reason})`);
      if (!(await repo.rememberSignature(v.signature, v.timestamp + SIGNATURE_MAX_AGE_MS))) {
        throw new AppError('unauthenticated', 'invalid callback signature (replayed)');
      }
      let body: TaskCallback;
      try {
        body = TaskCallbackSchema.parse(JSON.parse(rawBody));
      } catch (err) {
        if (err instanceof SyntaxError) throw new AppError('malformed_json');
        throw err;
      }
      const task = await jobs.get(body.taskId);
      if (!task || !known.get(task.type)?.external) throw new AppError('not_found', 'no such task');
      return { accepted: await jobs.report(body.taskId, body as Parameters<typeof jobs.report>[1]) };
    },
  };
}
export type TasksService = ReturnType<typeof tasksService>;
