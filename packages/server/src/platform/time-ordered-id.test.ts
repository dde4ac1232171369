import { IdSchema } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id.js';

describe('timeOrderedId', () => {
  it('is a valid UUID of version 7 and variant 10xx, carrying the time in its first 48 bits', () => {
    const at = Date.UTC(2026, 11, 5, 12, 0, 0);
    const id = timeOrderedId(at);
    expect(IdSchema.safeParse(id).success).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time across milliseconds and differs within one', () => {
    const ids = [1, 2, 3, 1000, 1001].map((ms) => timeOrderedId(1_700_000_000_000 + ms));
    expect([...ids].sort()).toEqual(ids);
    expect(timeOrderedId(5)).not.toBe(timeOrderedId(5));
  });
});
