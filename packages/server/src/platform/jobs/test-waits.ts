import type { TaskAbortedError } from './queue.js';

// The shared waits, plus the queue's own (`aborted`).
export { sleep, waitFor } from '../../test/waits.js';

/** Resolves when the signal fires, with its reason. */
export const aborted = (signal: AbortSignal) =>
  new Promise<TaskAbortedError>((resolve) =>
    signal.addEventListener('abort', () => resolve(signal.reason), { once: true }),
  );
