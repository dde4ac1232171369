import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deletePrefix, redisForTests } from '../../test/redis.js';
import { describeStorage } from '../../test/storage.js';
import { systemClock } from '../platform.js';
import type { RedisConnection } from '../redis.js';
import { createBullmqJobQueue } from './bullmq-queue.js';
import { jobQueueConformance } from './conformance.js';
import { waitFor } from './test-waits.js';

const redis = redisForTests();
if (redis) {
  describeStorage('job queue conformance: BullMQ backend', (ctx) => {
    // Every test gets its own key prefix (so its own BullMQ queue); its queues share it, as nodes would.
    let conn: RedisConnection | undefined;
    beforeEach(async () => {
      conn = await redis.connect();
    });
    // Registered before the suite's own afterEach, so it runs after it (hooks unwind like a stack): the
    // queues are stopped before their keys and connections go.
    afterEach(async () => {
      await conn?.close();
      conn = undefined;
    });
    jobQueueConformance((tuning) => {
      if (!conn) throw new Error('no Redis connection for this test');
      return createBullmqJobQueue(ctx().platform.database, systemClock, conn, tuning);
    });

    it('dispatches again a task whose BullMQ job Redis lost (restart without persistence)', async () => {
      if (!conn) throw new Error('no Redis connection for this test');
      const q = createBullmqJobQueue(ctx().platform.database, systemClock, conn, { pollIntervalMs: 20, leaseMs: 200 });
      try {
        q.register({ type: 'lost.ticket', schema: z.object({}), handler: async () => 'ran' });
        const { task } = await q.submit({ type: 'lost.ticket' });
        await deletePrefix(conn);
        await q.start();
        const done = await waitFor(async () => {
          const t = await q.get(task.id);
          return t?.state === 'succeeded' && t;
        });
        expect(done).toMatchObject({ result: 'ran', attempts: 1 });
      } finally {
        await q.stop({ graceMs: 0 });
      }
    });
  });
} else {
  describe('job queue conformance: BullMQ backend', () => {
    it.skip('needs REDIS_URL (e.g. redis://127.0.0.1:6379/15)', () => {});
  });
}
