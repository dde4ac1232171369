import { expect, it } from 'vitest';
import { manualClock } from '../test/clock.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * The behaviour every RateLimiter must show (memory always; Redis when `REDIS_URL` is set). Each test uses
 * fresh keys, so a shared backend works.
 *
 * @example
 * ```ts
 * rateLimiterConformance(async (clock) => memoryRateLimiter(clock));
 * ```
 */
type ManualClock = ReturnType<typeof manualClock>;

export function rateLimiterConformance(create: (clock: ManualClock) => Promise<RateLimiter>) {
  const rule = { limit: 3, windowMs: 60_000 };
  let n = 0;
  const fresh = () => `conf:${process.pid}:${Date.now()}:${++n}`;

  it('limits the event past the limit within the window and says when one more fits', async () => {
    const clock = manualClock();
    const rl = await create(clock);
    const k = fresh();
    for (let i = 0; i < 3; i++) {
      expect((await rl.check(k, rule)).limited).toBe(false);
      await rl.hit(k, rule);
      clock.advance(10_000);
    }
    // Events at 0, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    expect(await rl.check(k, rule)).toEqual({ limited: true, retryAfterMs: 30_000 });
    expect((await rl.check(fresh(), rule)).limited).toBe(false);
    clock.advance(30_000);
    expect((await rl.check(k, rule)).limited).toBe(false);
  });

  it('slides: a burst straddling a window boundary is still counted together', async () => {
    const clock = manualClock();
    const rl = await create(clock);
    const k = fresh();
    clock.advance(55_000);
    for (let i = 0; i < 3; i++) await rl.hit(k, rule);
    clock.advance(10_000); // a fixed window would have reset at 60 s
    expect((await rl.check(k, rule)).limited).toBe(true);
  });

  it('forgets a key on reset', async () => {
    const clock = manualClock();
    const rl = await create(clock);
    const k = fresh();
    for (let i = 0; i < 3; i++) await rl.hit(k, rule);
    await rl.reset(k);
    expect((await rl.check(k, rule)).limited).toBe(false);
  });
}
