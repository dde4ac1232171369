/** Exponential backoff bounds: the delay before attempt n grows as `baseMs * 2^(n-1)`, never past `capMs`. */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/** Reconnect backoff the issue asks for: base 500 ms, cap 15 s. */
export const RECONNECT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000 };

/**
 * "Full jitter" (AWS architecture blog): a uniformly random delay in `[0, min(cap, base * 2^(attempt-1))]`, so a
 * crowd of clients that lost the same server does not come back in one wave.
 *
 * @example
 * ```ts
 * fullJitter(3, { baseMs: 500, capMs: 15_000 }); // somewhere in [0, 2000]
 * ```
 */
export function fullJitter(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * "Equal jitter": half the exponential delay fixed, half random. Used between send retries, where waiting at
 * least a little after a timeout is the point.
 *
 * @example
 * ```ts
 * equalJitter(1, { baseMs: 500, capMs: 10_000 }); // in [250, 500]
 * ```
 */
export function equalJitter(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(o.capMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * An interval with symmetric jitter: `intervalMs ± jitterMs`, uniformly (polling every 3 s ± 400 ms).
 *
 * @example
 * ```ts
 * jittered(3000, 400); // in [2600, 3400]
 * ```
 */
export function jittered(intervalMs: number, jitterMs: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(intervalMs + (random() * 2 - 1) * jitterMs));
}
