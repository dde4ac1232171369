const settled: Promise<void> = Promise.resolve();

/**
 * A queue that runs each function after the previous one settled, whatever its outcome; each call returns its
 * function's own result. For what one socket asks for in order (sends, presence updates) without waiting for
 * each answer.
 *
 * The queue holds no result, and once nothing is waiting it holds nothing at all: a chain kept from one
 * message to the next (a second apart for a chat user) lived long enough for V8 to move it to the old
 * generation, which only a full collection empties (docs/performance.md).
 */
export function serialQueue(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail = settled;
  let waiting = 0;
  const done = () => {
    waiting--;
    if (waiting === 0) tail = settled;
  };
  return (fn) => {
    waiting++;
    const run = tail.then(fn, fn);
    tail = run.then(done, done);
    return run;
  };
}
