import { describe, expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { systemClock } from '../platform.js';
import { backoffDelay } from './backoff.js';
import { benchQueue } from './bench.js';
import { jobQueueConformance } from './conformance.js';
import { createDbJobQueue } from './db-queue.js';
import { nextFire } from './schedule.js';

describeStorage('job queue conformance: database backend', (ctx) =>
  jobQueueConformance((tuning) => createDbJobQueue(ctx().platform.database, systemClock, tuning)),
);

describeStorage('job queue bench entry point', (ctx) => {
  it('pushes tasks through a started queue and reports throughput and latency', async () => {
    const queue = createDbJobQueue(ctx().platform.database, systemClock, { pollIntervalMs: 20 });
    await queue.start();
    try {
      const r = await benchQueue(queue, 50);
      expect(r.tasks).toBe(50);
      expect(r.submitToDone.p50).toBeLessThanOrEqual(r.submitToDone.max);
      expect(r.perSecond).toBeGreaterThan(0);
    } finally {
      await queue.stop();
    }
  });
});

describe('backoff and schedule', () => {
  it('grows exponentially with jitter between half and the full step, capped', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(200);
    expect(backoffDelay(20, 100, 10_000, () => 1)).toBe(10_000);
  });

  it('computes the next cron tick in UTC and refuses a malformed expression', () => {
    const t = Date.UTC(2024, 0, 1, 10, 7, 30);
    expect(nextFire('0 * * * *', t)).toBe(Date.UTC(2024, 0, 1, 11, 0, 0));
    expect(() => nextFire('not a cron', t)).toThrow();
  });
});
