import type { TaskAbortedError } from './queue.js';

/** Waits shared by the task-queue tests (conformance suite, crash and outage tests). */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` every 10 ms until it answers something truthy; fails after `ms`. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('waitFor: condition not met in time');
    await sleep(10);
  }
}

/** Resolves when the signal fires, with its reason. */
export const aborted = (signal: AbortSignal) =>
  new Promise<TaskAbortedError>((resolve) =>
    signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
  );
