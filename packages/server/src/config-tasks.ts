import type { Env } from './config.js';
import { ConfigError } from './config-error.js';

/** The task queue: `TASKS_BACKEND`, `TASK_CONCURRENCY`, `TASK_WORKERS` and their signing secrets. */
export type TaskConfig = Readonly<{
  /** Who dispatches tasks: the database itself (polling), or BullMQ on Redis (default with `REDIS_URL`). */
  backend: 'database' | 'bullmq';
  concurrency: number;
  /**
   * Slots user-submitted tasks (the public API's types) may hold together; the rest are kept for the
   * platform's own work (AI drafts, scans, thumbnails, notifications, approval timeouts).
   */
  userConcurrency: number;
  /** Queued + running public tasks one user, and one org, may have at once. */
  maxPendingPerUser: number;
  maxPendingPerOrg: number;
  workers: Readonly<Record<string, string>>;
  signingSecret: string | undefined;
  signingSecretNext: string | undefined;
}>;

/** `TASK_WORKERS=type=url,type=url`: task types delivered by signed HTTP POST to an external worker. */
export function taskConfig(e: Env): TaskConfig {
  const workers: Record<string, string> = {};
  for (const entry of (e.TASK_WORKERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [type, target] = [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)];
    const okUrl = URL.canParse(target) && ['http:', 'https:'].includes(new URL(target).protocol);
    if (!/^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*$/.test(type) || !okUrl) {
      throw new ConfigError(`TASK_WORKERS: ${JSON.stringify(entry)} is not type=http(s)://url`);
    }
    workers[type] = target;
  }
  if (Object.keys(workers).length > 0 && !e.TASK_SIGNING_SECRET) {
    throw new ConfigError('TASK_SIGNING_SECRET: required when TASK_WORKERS is set');
  }
  if (e.TASKS_BACKEND === 'bullmq' && !e.REDIS_URL) {
    throw new ConfigError('TASKS_BACKEND: bullmq needs REDIS_URL');
  }
  return Object.freeze({
    backend: e.TASKS_BACKEND ?? (e.REDIS_URL ? 'bullmq' : 'database'),
    concurrency: e.TASK_CONCURRENCY,
    // A quarter (at least 2, when there is room) stays with the platform: user tasks never take every slot.
    userConcurrency: Math.max(
      1,
      e.TASK_CONCURRENCY - Math.max(Math.min(2, e.TASK_CONCURRENCY - 1), Math.ceil(e.TASK_CONCURRENCY / 4)),
    ),
    maxPendingPerUser: e.TASK_MAX_PENDING_PER_USER,
    maxPendingPerOrg: e.TASK_MAX_PENDING_PER_ORG,
    workers: Object.freeze(workers),
    signingSecret: e.TASK_SIGNING_SECRET,
    signingSecretNext: e.TASK_SIGNING_SECRET_NEXT,
  });
}
