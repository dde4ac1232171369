/** Token-bucket refill rule: `perSecond` sustained, bursts up to `burst`. */
export interface BucketRule {
  perSecond: number;
  burst: number;
}

/**
 * A per-key event budget: `take` returns 0 when the event may go ahead, else the milliseconds until it could.
 * In-process buckets answer synchronously; shared (Redis) ones asynchronously.
 */
export interface EventBudget {
  take(key: string): number | Promise<number>;
}

/**
 * In-process token buckets keyed by a string (a user id, a socket id). O(1) per call and no timers: a
 * bucket is refilled lazily when touched, and idle full buckets are swept every few thousand calls.
 */
export function tokenBuckets(rule: BucketRule, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let calls = 0;
  const idleMs = (rule.burst / rule.perSecond) * 1000;
  return {
    /** Take one token; returns 0 when allowed, else the milliseconds until a token is available. */
    take(key: string): number {
      const t = now();
      if (++calls % 4096 === 0) {
        for (const [k, b] of buckets) if (t - b.at > idleMs) buckets.delete(k);
      }
      const b = buckets.get(key) ?? { tokens: rule.burst, at: t };
      b.tokens = Math.min(rule.burst, b.tokens + ((t - b.at) / 1000) * rule.perSecond);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - b.tokens) / rule.perSecond) * 1000);
    },
    get size() {
      return buckets.size;
    },
  };
}
export type TokenBuckets = ReturnType<typeof tokenBuckets>;
