import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisForTests } from '../test/redis.js';
import type { RedisConnection } from './redis.js';
import { eventBudgetConformance } from './token-bucket.conformance.js';
import { redisTokenBuckets } from './token-bucket-redis.js';

const redis = redisForTests();
if (redis) {
  describe('redis token buckets (socket event budget shared by every node)', () => {
    let conn: RedisConnection;
    beforeAll(async () => {
      conn = await redis.connect();
    });
    afterAll(() => conn.close());

    eventBudgetConformance(async (rule, now) => redisTokenBuckets(conn.client, conn.prefix, rule, now));

    it('gives a user on two nodes one budget, not two, and lets the key expire', async () => {
      const other = await redis.connect();
      try {
        const t = Date.now();
        const rule = { perSecond: 1, burst: 4 };
        const a = redisTokenBuckets(conn.client, conn.prefix, rule, () => t);
        const b = redisTokenBuckets(other.client, conn.prefix, rule, () => t);
        const waits = await Promise.all([a.take('u'), b.take('u'), a.take('u'), b.take('u'), a.take('u'), b.take('u')]);
        expect(waits.filter((w) => w === 0)).toHaveLength(4);
        expect(waits.filter((w) => w > 0)).toHaveLength(2);
        // Expires once it would be full again (burst / rate = 4 s, plus a second).
        const ttl = await conn.client.pttl(`${conn.prefix}bucket:u`);
        expect(ttl).toBeGreaterThan(4000);
        expect(ttl).toBeLessThanOrEqual(5000);
      } finally {
        await other.close();
      }
    });

    it('counts in this process while Redis is unreachable', async () => {
      const lost = await redis.connect();
      const rule = { perSecond: 1, burst: 2 };
      const t = Date.now();
      const budget = redisTokenBuckets(lost.client, lost.prefix, rule, () => t);
      await lost.close();
      expect([await budget.take('k'), await budget.take('k')]).toEqual([0, 0]);
      expect(await budget.take('k')).toBe(1000);
    });
  });
} else {
  describe('redis token buckets', () => {
    it.skip('needs REDIS_URL (e.g. redis://127.0.0.1:6379/15)', () => {});
  });
}
