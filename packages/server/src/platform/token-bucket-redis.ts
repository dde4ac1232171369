import type { Redis } from 'ioredis';
import { type BucketRule, type EventBudget, tokenBuckets } from './token-bucket.js';

/**
 * KEYS: the bucket's hash (`t` tokens, `a` last refill time). ARGV: perSecond, burst, now, ttlMs.
 * Returns 0 when a token was taken, else the milliseconds until one is available. Same arithmetic as the
 * in-process `tokenBuckets`; a clock behind the last writer's refills nothing rather than going back.
 */
const TAKE = `
local rate, burst, now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local b = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) / 1000 * rate)
  at = now
end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(at))
redis.call('PEXPIRE', KEYS[1], ttl)
return wait
`;

type Scripted = Redis & {
  sbBucketTake(key: string, rate: number, burst: number, now: number, ttl: number): Promise<number>;
};

/**
 * Cluster mode's per-user socket event budget: one token bucket per key in Redis, taken atomically by a Lua
 * script, so a user with sockets on k nodes gets one budget, not k. A bucket expires once it would be full
 * again (no stale keys). While Redis is unreachable the budget is counted in this process (`fallback`):
 * per node rather than refusing every event.
 */
export function redisTokenBuckets(
  redis: Redis,
  prefix: string,
  rule: BucketRule,
  now: () => number = Date.now,
  fallback = tokenBuckets(rule, now),
): EventBudget {
  if (!('sbBucketTake' in redis)) redis.defineCommand('sbBucketTake', { lua: TAKE, numberOfKeys: 1 });
  const r = redis as Scripted;
  const ttlMs = Math.ceil((rule.burst / rule.perSecond) * 1000) + 1000;
  return {
    async take(key) {
      try {
        return await r.sbBucketTake(`${prefix}bucket:${key}`, rule.perSecond, rule.burst, now(), ttlMs);
      } catch {
        return fallback.take(key);
      }
    },
  };
}
