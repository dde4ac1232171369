import type { Clock } from './clock.js';

/** At most `limit` events per sliding `windowMs`. */
export interface RateRule {
  limit: number;
  windowMs: number;
}

export interface RateVerdict {
  limited: boolean;
  /** How long until one more event fits (0 when not limited). */
  retryAfterMs: number;
}

/**
 * Counts events per key in a sliding window (login failures per account and per IP, widget sessions per
 * IP). Embedded mode keeps the counts in memory; cluster mode will keep them in Redis so every node sees
 * the same counts. `check` does not count; `hit` records one event.
 */
export interface RateLimiter {
  check(key: string, rule: RateRule): Promise<RateVerdict>;
  hit(key: string, rule: RateRule): Promise<void>;
  reset(key: string): Promise<void>;
}

/**
 * In-process sliding log: per key, the times of the last `limit` events. Memory is bounded by the number of
 * keys seen within the longest window; stale keys are swept every few thousand calls.
 */
export function memoryRateLimiter(clock: Clock): RateLimiter {
  const log = new Map<string, { times: number[]; windowMs: number }>();
  let calls = 0;
  const sweep = (now: number) => {
    for (const [key, entry] of log) {
      const last = entry.times[entry.times.length - 1] ?? 0;
      if (last + entry.windowMs <= now) log.delete(key);
    }
  };
  const recent = (key: string, rule: RateRule, now: number): number[] => {
    const entry = log.get(key);
    if (!entry) return [];
    return entry.times.filter((t) => t > now - rule.windowMs);
  };
  return {
    async check(key, rule) {
      const now = clock.now();
      const times = recent(key, rule, now);
      if (times.length < rule.limit) return { limited: false, retryAfterMs: 0 };
      // One more fits when the oldest event that keeps the count at the limit leaves the window.
      const pivot = times[times.length - rule.limit] ?? now;
      return { limited: true, retryAfterMs: Math.max(1, pivot + rule.windowMs - now) };
    },
    async hit(key, rule) {
      const now = clock.now();
      if (++calls % 4096 === 0) sweep(now);
      const times = [...recent(key, rule, now), now].slice(-rule.limit);
      const windowMs = Math.max(rule.windowMs, log.get(key)?.windowMs ?? 0);
      log.set(key, { times, windowMs });
    },
    async reset(key) {
      log.delete(key);
    },
  };
}
