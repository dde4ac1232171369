import type { Redis } from 'ioredis';
import type { Clock } from './clock.js';
import { memoryRateLimiter, type RateLimiter } from './rate-limit.js';

/**
 * KEYS: the key's sorted set (member = unique event id, score = time). ARGV: now, windowMs, limit, and for
 * a hit the member. Returns [limited 0/1, retryAfterMs]. Times come from the caller's clock, so every node
 * must keep its clock in sync (NTP), as it must for sessions anyway.
 */
const CHECK = `
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then return {0, 0} end
-- One more fits when the oldest event that keeps the count at the limit leaves the window.
local pivot = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return {1, math.max(1, tonumber(pivot[2]) + window - now)}
`;

const HIT = `
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(limit + 1))
if redis.call('PTTL', KEYS[1]) < window then redis.call('PEXPIRE', KEYS[1], window) end
return 1
`;

type Scripted = Redis & {
  sbRateCheck(key: string, now: number, windowMs: number, limit: number): Promise<[number, number]>;
  sbRateHit(key: string, now: number, windowMs: number, limit: number, member: string): Promise<number>;
};

/**
 * The cluster-mode rate limiter: the same sliding log as `memoryRateLimiter`, in one Redis sorted set per
 * key (at most `limit` entries, expiring with the window), so every node counts the same events. While
 * Redis is unreachable it counts in this process instead (`fallback`): limits then hold per node rather
 * than failing every login.
 */
export function redisRateLimiter(
  redis: Redis,
  prefix: string,
  clock: Clock,
  fallback: RateLimiter = memoryRateLimiter(clock),
): RateLimiter {
  if (!('sbRateCheck' in redis)) redis.defineCommand('sbRateCheck', { lua: CHECK, numberOfKeys: 1 });
  if (!('sbRateHit' in redis)) redis.defineCommand('sbRateHit', { lua: HIT, numberOfKeys: 1 });
  const r = redis as Scripted;
  const k = (key: string) => `${prefix}rate:${key}`;
  let seq = 0;
  return {
    async check(key, rule) {
      try {
        const [limited, retryAfterMs] = await r.sbRateCheck(k(key), clock.now(), rule.windowMs, rule.limit);
        return { limited: limited === 1, retryAfterMs };
      } catch {
        return fallback.check(key, rule);
      }
    },
    async hit(key, rule) {
      const member = `${clock.now()}:${process.pid}:${++seq}:${Math.random()}`;
      try {
        await r.sbRateHit(k(key), clock.now(), rule.windowMs, rule.limit, member);
      } catch {
        await fallback.hit(key, rule);
      }
    },
    async reset(key) {
      await fallback.reset(key);
      try {
        await redis.del(k(key));
      } catch {
        // Nothing to forget in Redis while it is unreachable; the fallback is reset above.
      }
    },
  };
}
