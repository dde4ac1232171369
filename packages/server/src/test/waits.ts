/**
 * The waits every test shares. A wait is bounded by a timeout that names what it waited for, so a failure
 * says what never happened; the bound is not a measurement (no timing thresholds in tests).
 */

/** Resolve after `ms` (for pacing a load or letting a wrong event arrive, never before an assertion). */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface WaitOptions {
  /** What is awaited, for the error message. */
  what?: string;
  /** Give up after this many ms (default 10 s). */
  timeoutMs?: number;
  /** Poll every this many ms (default 10). */
  stepMs?: number;
}

/**
 * Poll `check` until it returns something truthy, and return that.
 *
 * @example
 * ```ts
 * const row = await waitFor(() => repo.find(id), { what: 'the draft', timeoutMs: 5_000 });
 * ```
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  opts: WaitOptions | number = {},
): Promise<T> {
  const { what = 'condition', timeoutMs = 10_000, stepMs = 10 } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

/** Wait until `check` holds; fails naming `what` after `timeoutMs` (default 60 s). */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  stepMs = 25,
): Promise<void> {
  await waitFor(async () => (await check()) || undefined, { what, timeoutMs, stepMs });
}
