import { describe, expect, it } from 'vitest';
import { tokenBuckets } from './token-bucket.js';

describe('tokenBuckets', () => {
  it('allows a burst, then refills at the sustained rate, per key', () => {
    let t = 0;
    const b = tokenBuckets({ perSecond: 10, burst: 3 }, () => t);
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0]);
    expect(b.take('a')).toBe(100);
    expect(b.take('b')).toBe(0);
    t += 100;
    expect(b.take('a')).toBe(0);
    expect(b.take('a')).toBeGreaterThan(0);
    t += 10_000;
    expect([b.take('a'), b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 0, 100]);
  });
});
