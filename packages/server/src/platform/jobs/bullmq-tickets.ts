import { type Job, Queue } from 'bullmq';
import type { RedisConnection } from '../redis.js';
import type { JobRow } from './db-store.js';

/** What a BullMQ job carries: only which task to try. The task itself lives in the database. */
export interface TicketData {
  taskId: string;
}
export type Ticket = Job<TicketData, void, string>;

/**
 * The BullMQ job id of a task waiting for its next attempt: one id per (attempt count, due time), so a
 * ticket added again for the same wait is a no-op, and a new wait (retry, release, redrive) gets a new
 * ticket even while the previous one is still finishing.
 */
export const ticketId = (row: Pick<JobRow, 'id' | 'attempts' | 'runAt'>) => `${row.id}.${row.attempts}.${row.runAt}`;

/** The ticket named in a lease owner (`<ticket id>@<BullMQ lock token>`). */
export const leaseOwner = (ticket: string, token: string) => `${ticket}@${token}`;

// BullMQ: 1 runs first, 2^21 - 1 last, 0 (no priority) before all of them. Ours: higher first, default 0.
const PRIORITY_ZERO = 2 ** 20;
export const bullPriority = (priority: number) => Math.min(2 ** 21 - 1, Math.max(1, PRIORITY_ZERO - priority));

/** BullMQ appends `:<queue>:<key>`; the deployment prefix usually ends with its own colon. */
export const bullPrefix = (prefix: string) => prefix.replace(/:$/, '') || prefix;

export interface TicketLog {
  error(obj: object, msg: string): void;
}

/**
 * The producing side: adds tickets through the deployment's fail-fast Redis client, so a submit never
 * waits on a Redis outage (the task is already durable; the sweep adds its ticket once Redis is back).
 */
export function ticketQueue(redis: RedisConnection, name: string, log: TicketLog, now: () => number) {
  let queue: Promise<Queue<TicketData, void, string>> | undefined;

  function open(): Promise<Queue<TicketData, void, string>> {
    if (queue) return queue;
    // BullMQ's first command (its version check) would otherwise wait for Redis instead of failing.
    if (!redis.ready()) return Promise.reject(new Error('Redis is not connected'));
    const q = new Queue<TicketData, void, string>(name, {
      connection: redis.client,
      prefix: bullPrefix(redis.prefix),
      skipWaitingForReady: true,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
    q.on('error', (err) => log.error({ err }, 'task queue: Redis error'));
    const opening = q.waitUntilReady().then(
      () => q,
      async (err) => {
        queue = undefined;
        await q.close().catch(() => {});
        throw err;
      },
    );
    queue = opening;
    return opening;
  }

  return {
    name,
    open,
    /** Add a ticket for each row (due at its `runAt`); failures are logged, the sweep adds them later. */
    async dispatch(rows: readonly JobRow[]): Promise<void> {
      if (rows.length === 0) return;
      try {
        const q = await open();
        const at = now();
        await q.addBulk(
          rows.map((row) => ({
            name: row.type,
            data: { taskId: row.id },
            opts: {
              jobId: ticketId(row),
              priority: bullPriority(row.priority),
              delay: Math.max(0, row.runAt - at),
            },
          })),
        );
      } catch (err) {
        log.error({ err, tasks: rows.map((r) => r.id) }, 'task dispatch failed; the sweep adds it later');
      }
    },
    /** Make parked tickets runnable now (best effort: one may have run or moved meanwhile). */
    async promote(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      const q = await open().catch(() => undefined);
      for (const id of ids) await (await q?.getJob(id).catch(() => undefined))?.promote().catch(() => {});
    },
    async close(): Promise<void> {
      const q = await queue?.catch(() => undefined);
      queue = undefined;
      await q?.close();
    },
  };
}
export type TicketQueue = ReturnType<typeof ticketQueue>;
