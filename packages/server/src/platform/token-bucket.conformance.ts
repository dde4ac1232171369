import { expect, it } from 'vitest';
import type { BucketRule, EventBudget } from './token-bucket.js';

/**
 * The behaviour every event budget must show (in process always; Redis when `REDIS_URL` is set). Keys are
 * fresh per call, so a shared backend works.
 */
export function eventBudgetConformance(create: (rule: BucketRule, now: () => number) => Promise<EventBudget>) {
  let n = 0;
  const fresh = () => `conf:${process.pid}:${Date.now()}:${++n}`;

  it('allows a burst, then refills at the sustained rate, per key', async () => {
    let t = Date.UTC(2030, 0, 1);
    const b = await create({ perSecond: 10, burst: 3 }, () => t);
    const [a, other] = [fresh(), fresh()];
    const take = async (k: string) => await b.take(k);
    expect([await take(a), await take(a), await take(a)]).toEqual([0, 0, 0]);
    expect(await take(a)).toBe(100);
    expect(await take(other)).toBe(0);
    t += 100;
    expect(await take(a)).toBe(0);
    expect(await take(a)).toBeGreaterThan(0);
    t += 10_000;
    expect([await take(a), await take(a), await take(a), await take(a)]).toEqual([0, 0, 0, 100]);
  });
}
