import { type ExternalTaskDelivery, TASK_SIGNATURE_HEADER, TaskStateSchema } from '@switchboard/protocol';
import { z } from 'zod';
import type { Platform } from '../../platform/platform.js';
import { signatureHeader } from './signing.js';
import { tasksRepo } from './tasks.repo.js';

/** A task type callers may submit through `/api/v1/tasks` (if their org has it enabled). */
export interface PublicTaskType {
  type: string;
  description: string;
  /**
   * In the allow-list of an org that has not set its own — for staff only: customers and widget visitors
   * may submit a type only when the org's admin put it in the org's own list.
   */
  defaultEnabled: boolean;
  external: boolean;
}

const DAY = 86_400_000;
export const CLEANUP_TYPE = 'maintenance.tasks.cleanup';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    // No timer for no wait: a timer fires a millisecond later at the soonest.
    if (ms <= 0) return resolve();
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Register the built-in task types (public `demo.sleep`, `export.tasks`; internal cleanup on a schedule)
 * and the external ones from `TASK_WORKERS`. Returns the public catalogue.
 */
export function registerTaskHandlers(platform: Platform): PublicTaskType[] {
  const { jobs, config } = platform;
  // The public types share the user slots (TaskConfig.userConcurrency): each is capped at its share, so
  // together they never hold the slots the platform's own work (AI drafts, scans…) needs.
  const publicTypes = 2 + (config.tasks.signingSecret ? Object.keys(config.tasks.workers).length : 0);
  const userShare = Math.max(1, Math.floor(config.tasks.userConcurrency / publicTypes));
  jobs.register({
    type: 'demo.sleep',
    concurrency: userShare,
    description: 'Waits the given seconds in steps, reporting progress after each: for trying the task API.',
    schema: z.object({
      seconds: z.number().min(0).max(600).default(1),
      steps: z.number().int().min(1).max(100).default(5),
    }),
    async handler({ seconds, steps }, ctx) {
      for (let i = 1; i <= steps; i++) {
        await sleep((seconds * 1000) / steps, ctx.signal);
        await ctx.progress((i / steps) * 100, `step ${i} of ${steps}`);
      }
      return { sleptMs: seconds * 1000 };
    },
  });

  jobs.register({
    type: 'export.tasks',
    concurrency: userShare,
    description: "Exports the caller's task history as CSV (id, type, state, created, finished).",
    schema: z.object({ state: TaskStateSchema.optional() }),
    async handler({ state }, ctx) {
      const { orgId, ownerId } = ctx.task;
      if (!orgId || !ownerId) return { rows: 0, csv: '' };
      const lines = ['id,type,state,createdAt,finishedAt'];
      let cursor: string | undefined;
      let pages = 0;
      do {
        ctx.signal.throwIfAborted();
        const page = await jobs.list({ orgId, ownerId, state, limit: 100, cursor });
        for (const t of page.items) {
          if (t.id === ctx.task.id) continue;
          lines.push([t.id, t.type, t.state, t.createdAt, t.finishedAt].map(csvCell).join(','));
        }
        cursor = page.nextCursor;
        pages++;
        await ctx.progress(cursor ? Math.min(95, pages * 10) : 100, `${lines.length - 1} rows`);
      } while (cursor && lines.length <= 10_000);
      return { rows: lines.length - 1, csv: lines.join('\n') };
    },
  });

  jobs.register({
    type: CLEANUP_TYPE,
    description: 'Deletes finished tasks older than 30 days (dead ones after 90) and expired callback nonces.',
    schema: z.object({}),
    async handler() {
      const now = platform.clock.now();
      const succeeded = await jobs.purge({ state: 'succeeded', finishedBefore: now - 30 * DAY });
      const cancelled = await jobs.purge({ state: 'cancelled', finishedBefore: now - 30 * DAY });
      const dead = await jobs.purge({ state: 'dead', finishedBefore: now - 90 * DAY });
      const nonces = await tasksRepo(platform.database).forgetSignaturesBefore(now);
      return { succeeded, cancelled, dead, nonces };
    },
  });
  jobs.schedule({ name: CLEANUP_TYPE, cron: '17 * * * *', type: CLEANUP_TYPE });

  const external: PublicTaskType[] = [];
  const secret = config.tasks.signingSecret;
  for (const [type, url] of Object.entries(config.tasks.workers)) {
    if (!secret) break;
    jobs.register({
      type,
      concurrency: userShare,
      description: `Delivered to an external worker at ${new URL(url).origin}.`,
      schema: z.record(z.string(), z.unknown()),
      async handler(payload, ctx) {
        const delivery: ExternalTaskDelivery = {
          taskId: ctx.task.id,
          type,
          attempt: ctx.attempt,
          payload,
          callbackUrl: `${config.publicUrl}/api/v1/tasks/callback`,
        };
        const body = JSON.stringify(delivery);
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TASK_SIGNATURE_HEADER]: signatureHeader(secret, body, platform.clock.now()),
          },
          body,
          signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
        });
        await res.body?.cancel();
        if (!res.ok) throw new Error(`the worker answered HTTP ${res.status}`);
        // The worker now owns the attempt until its callback, or until the task's timeout runs out.
        return ctx.defer(ctx.task.timeoutMs);
      },
    });
    external.push({ type, description: `Runs on an external worker.`, defaultEnabled: false, external: true });
  }
  return [
    // A toy for trying the API: not offered by default in production.
    {
      type: 'demo.sleep',
      description: 'Waits in steps with progress.',
      defaultEnabled: config.env !== 'production',
      external: false,
    },
    {
      type: 'export.tasks',
      description: "Exports the caller's task history as CSV.",
      defaultEnabled: true,
      external: false,
    },
    ...external,
  ];
}
