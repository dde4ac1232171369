import type { Clock } from '../platform/clock.js';

/** A clock that stands still until the test moves it. */
export function manualClock(start = Date.UTC(2030, 0, 1)): Clock & { advance(ms: number): void; set(t: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(value: number) {
      t = value;
    },
  };
}
