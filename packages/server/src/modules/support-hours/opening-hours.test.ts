import { describe, expect, it } from 'vitest';
import { isOpenAt, localTime, nextOpening, zonedInstant } from './opening-hours.js';

const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' }));
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe('opening hours', () => {
  it('reads the wall clock in the org timezone', () => {
    // 2030-01-01 (a Tuesday) 08:30 UTC is 09:30 in Berlin (CET, UTC+1) and 03:30 in New York (EST).
    const t = Date.UTC(2030, 0, 1, 8, 30);
    expect(localTime(t, 'Europe/Berlin')).toMatchObject({ weekday: 2, minute: 9 * 60 + 30 });
    expect(isOpenAt(weekdays, 'Europe/Berlin', t)).toBe(true);
    expect(isOpenAt(weekdays, 'America/New_York', t)).toBe(false);
    expect(isOpenAt(weekdays, 'UTC', t)).toBe(false);
  });

  it('opens at `open` and closes at `close` (half-open range)', () => {
    expect(isOpenAt(weekdays, 'UTC', Date.UTC(2030, 0, 1, 9, 0))).toBe(true);
    expect(isOpenAt(weekdays, 'UTC', Date.UTC(2030, 0, 1, 16, 59))).toBe(true);
    expect(isOpenAt(weekdays, 'UTC', Date.UTC(2030, 0, 1, 17, 0))).toBe(false);
  });

  it('runs an overnight range into the next day, across the week boundary too', () => {
    const nights = [{ day: 6, open: '22:00', close: '06:00' }]; // Saturday night into Sunday
    // 2030-01-05 is a Saturday, 2030-01-06 a Sunday.
    expect(isOpenAt(nights, 'UTC', Date.UTC(2030, 0, 5, 23, 0))).toBe(true);
    expect(isOpenAt(nights, 'UTC', Date.UTC(2030, 0, 6, 5, 59))).toBe(true);
    expect(isOpenAt(nights, 'UTC', Date.UTC(2030, 0, 6, 6, 0))).toBe(false);
    expect(isOpenAt(nights, 'UTC', Date.UTC(2030, 0, 5, 21, 59))).toBe(false);
    // Saturday 06:00 is not covered: the range opened Saturday, it does not close Saturday morning.
    expect(isOpenAt(nights, 'UTC', Date.UTC(2030, 0, 5, 5, 0))).toBe(false);
    expect(iso(nextOpening(nights, 'UTC', Date.UTC(2030, 0, 6, 7, 0)))).toBe('2030-01-12T22:00:00.000Z');
  });

  it('treats open equal to close as a full day', () => {
    const allDayMonday = [{ day: 1, open: '00:00', close: '00:00' }];
    expect(isOpenAt(allDayMonday, 'UTC', Date.UTC(2029, 11, 31, 0, 0))).toBe(true);
    expect(isOpenAt(allDayMonday, 'UTC', Date.UTC(2029, 11, 31, 23, 59))).toBe(true);
    expect(isOpenAt(allDayMonday, 'UTC', Date.UTC(2030, 0, 1, 0, 0))).toBe(false);
  });

  it('finds the next opening: later today, tomorrow, after a weekend, and in the org timezone', () => {
    expect(nextOpening(weekdays, 'UTC', Date.UTC(2030, 0, 1, 10, 0))).toBeNull(); // open now
    expect(iso(nextOpening(weekdays, 'UTC', Date.UTC(2030, 0, 1, 7, 0)))).toBe('2030-01-01T09:00:00.000Z');
    expect(iso(nextOpening(weekdays, 'UTC', Date.UTC(2030, 0, 1, 18, 0)))).toBe('2030-01-02T09:00:00.000Z');
    // Friday evening -> Monday morning.
    expect(iso(nextOpening(weekdays, 'UTC', Date.UTC(2030, 0, 4, 17, 0)))).toBe('2030-01-07T09:00:00.000Z');
    // Tokyo (UTC+9): Friday 18:00 local is 09:00 UTC; Monday 09:00 local is Monday 00:00 UTC.
    expect(iso(nextOpening(weekdays, 'Asia/Tokyo', Date.UTC(2030, 0, 4, 9, 0)))).toBe('2030-01-07T00:00:00.000Z');
    expect(nextOpening([], 'UTC', Date.UTC(2030, 0, 1))).toBeNull();
  });

  it('keeps local opening times across a daylight-saving change', () => {
    // Berlin moves to CEST (UTC+2) on 2030-03-31. Friday 29 March evening -> Monday 1 April 09:00 CEST = 07:00 UTC.
    expect(iso(nextOpening(weekdays, 'Europe/Berlin', Date.UTC(2030, 2, 29, 18, 0)))).toBe('2030-04-01T07:00:00.000Z');
    expect(iso(zonedInstant(2030, 3, 29, 9 * 60, 'Europe/Berlin'))).toBe('2030-03-29T08:00:00.000Z');
    // 02:30 does not exist on the night of the change: it resolves after the jump.
    expect(zonedInstant(2030, 3, 31, 2 * 60 + 30, 'Europe/Berlin')).toBeGreaterThanOrEqual(Date.UTC(2030, 2, 31, 1, 0));
  });
});
