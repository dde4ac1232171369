/**
 * Delay before attempt `attempt + 1` after `attempt` failed: exponential (`baseMs · 2^(attempt-1)`, capped
 * at `maxMs`) with "equal jitter" — half fixed, half random — so retries of many tasks failing together
 * spread out, while each delay is still at least half the exponential step and therefore grows.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
