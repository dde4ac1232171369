import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../test/clock.js';
import { redisForTests } from '../test/redis.js';
import { rateLimiterConformance } from './rate-limit.conformance.js';
import { redisRateLimiter } from './rate-limit-redis.js';
import type { RedisConnection } from './redis.js';

const redis = redisForTests();
if (redis) {
  describe('redis rate limiter (sliding window in a sorted set)', () => {
    let conn: RedisConnection;
    beforeAll(async () => {
      conn = await redis.connect();
    });
    afterAll(() => conn.close());

    rateLimiterConformance(async (clock) => redisRateLimiter(conn.client, conn.prefix, clock));

    it('counts the hits of every node against one limit', async () => {
      const other = await redis.connect();
      try {
        const clock = manualClock();
        const rule = { limit: 4, windowMs: 60_000 };
        const a = redisRateLimiter(conn.client, conn.prefix, clock);
        const b = redisRateLimiter(other.client, conn.prefix, clock);
        await Promise.all([a.hit('shared', rule), b.hit('shared', rule), a.hit('shared', rule)]);
        expect((await b.check('shared', rule)).limited).toBe(false);
        await b.hit('shared', rule);
        expect((await a.check('shared', rule)).limited).toBe(true);
        // At most `limit` entries are kept per key, however many hits arrive.
        for (let i = 0; i < 20; i++) await a.hit('shared', rule);
        expect(await conn.client.zcard(`${conn.prefix}rate:shared`)).toBe(4);
      } finally {
        await other.close();
      }
    });

    it('counts in this process while Redis is unreachable', async () => {
      const lost = await redis.connect();
      const clock = manualClock();
      const rule = { limit: 2, windowMs: 60_000 };
      const rl = redisRateLimiter(lost.client, lost.prefix, clock);
      await lost.close();
      await rl.hit('k', rule);
      expect((await rl.check('k', rule)).limited).toBe(false);
      await rl.hit('k', rule);
      expect((await rl.check('k', rule)).limited).toBe(true);
    });
  });
} else {
  describe('redis rate limiter', () => {
    it.skip('needs REDIS_URL (e.g. redis://127.0.0.1:6379/15)', () => {});
  });
}
