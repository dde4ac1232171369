import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/**
 * WAL checkpoints on a thread of their own. A checkpoint copies the pages changed since the last one from the
 * WAL back into the database file and syncs it: with SQLite's automatic checkpoint that happens inside the
 * commit that crosses the threshold, on the event loop, and under a steady send load it took about half of all
 * commit time, up to 40 ms at once (docs/performance.md). Here a worker thread with its own connection runs a
 * PASSIVE checkpoint (it never blocks a writer or a reader) every `intervalMs`, once the WAL file has reached
 * `startBytes` (a small database, such as a test's, never starts the thread).
 *
 * A passive checkpoint copies the frames committed before it started; under a steady load the writer has
 * committed more by the time it ends, so the WAL is never wholly copied and never starts over: it grew to the
 * backstop's size, and the writer's own automatic checkpoint then ran inside a commit on the event loop, for
 * 15–45 ms about once a second (docs/performance.md). So once the WAL holds `resetFrames` frames, the worker
 * runs a second checkpoint right after a passive one, and the hot write paths (the send and write batchers)
 * hold their next commit until it ends (`hold()`): it has only the frames of the last few milliseconds to
 * copy, nothing is committed meanwhile, so it copies everything, and the next commit starts the WAL over from
 * its first frame. A write that does not wait (a rare one from elsewhere) only means the WAL starts over a
 * little later. A hold never outlasts `holdMaxMs`.
 *
 * The connection's own automatic checkpoint stays on as a backstop, at a threshold the worker keeps the WAL
 * below; if the worker fails, the threshold goes back to `fallbackPages` and the connection checkpoints alone,
 * as before.
 */
export interface CheckpointerOptions {
  /** Ask the worker for a checkpoint this often. */
  intervalMs: number;
  /** Start the worker once the WAL file is this large. */
  startBytes: number;
  /** The connection's automatic checkpoint while the worker runs (pages). */
  backstopPages: number;
  /** …and after the worker failed. */
  fallbackPages: number;
  /** Past this many frames in the WAL, a held checkpoint lets it start over. */
  resetFrames: number;
  /** The longest the write paths are held for one. */
  holdMaxMs: number;
}

export const CHECKPOINTER_DEFAULTS: CheckpointerOptions = {
  intervalMs: 250,
  startBytes: 4 * 1024 * 1024,
  // 64 MiB of WAL, the size past which `journal_size_limit` cuts the file back.
  backstopPages: 16_000,
  fallbackPages: 4000,
  // 32 MiB of 4 KiB pages: a held checkpoint about twice a second at 4,000 sends/s.
  resetFrames: 8000,
  holdMaxMs: 100,
};

// Plain JavaScript for the worker (an eval'd script, so the bundle needs no second entry point); it loads the
// same better-sqlite3 as the server, by its resolved path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, frames: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err) });
  }
});
`;

export interface Checkpointer {
  /** Checkpoints the worker has finished (for tests and diagnostics). */
  readonly done: number;
  /** Whether the worker is running. */
  readonly running: boolean;
  /** Frames in the WAL at the last checkpoint (for tests and diagnostics). */
  readonly frames: number;
  /**
   * While a held checkpoint runs, a promise that settles when it ends: a write path waits for it before its
   * next commit. Otherwise undefined (no wait).
   */
  hold(): Promise<void> | undefined;
  /** Stop the timer and the worker; the worker's connection is closed before this resolves. */
  close(): Promise<void>;
}

export function sqliteCheckpointer(
  sqlite: SqliteDatabase.Database,
  file: string,
  options: Partial<CheckpointerOptions> = {},
): Checkpointer {
  const o = { ...CHECKPOINTER_DEFAULTS, ...options };
  sqlite.pragma(`wal_autocheckpoint = ${o.backstopPages}`);
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();
  let inFlight = false;
  let failed = false;
  let closing = false;
  let done = 0;
  let frames = 0;
  // The held checkpoint in flight: the promise the writers wait on, and how to end it.
  let held: { promise: Promise<void>; release(): void } | undefined;

  function release(): void {
    held?.release();
    held = undefined;
  }

  /** Ask for a checkpoint; a held one holds the write paths until it ends (or `holdMaxMs` passed). */
  function checkpoint(w: Worker, hold: boolean): void {
    inFlight = true;
    if (hold) {
      let end = () => {};
      const promise = new Promise<void>((resolve) => {
        const timeout = setTimeout(resolve, o.holdMaxMs);
        end = () => {
          clearTimeout(timeout);
          resolve();
        };
      });
      held = { promise, release: end };
    }
    w.postMessage('checkpoint');
  }

  function fail(): void {
    release();
    if (failed) return;
    failed = true;
    clearInterval(timer);
    void worker?.terminate();
    worker = undefined;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${o.fallbackPages}`);
  }

  function start(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file } });
    w.unref();
    exited = new Promise((resolve) => w.once('exit', () => resolve()));
    w.on('message', (m: { ok: boolean; frames?: number }) => {
      inFlight = false;
      const wasHeld = held !== undefined;
      release();
      if (!m.ok) return fail();
      done++;
      frames = m.frames ?? 0;
      // A large WAL that a passive checkpoint could not copy whole: copy the rest while the writers hold.
      if (!wasHeld && !closing && frames >= o.resetFrames) checkpoint(w, true);
    });
    w.on('error', fail);
    w.on('exit', () => closing || fail());
    return w;
  }

  const walBytes = () => {
    try {
      return fs.statSync(`${file}-wal`).size;
    } catch {
      return 0;
    }
  };

  const timer = setInterval(() => {
    if (inFlight || failed) return;
    if (!worker) {
      if (walBytes() < o.startBytes) return;
      worker = start();
    }
    checkpoint(worker, false);
  }, o.intervalMs);
  timer.unref();

  return {
    get done() {
      return done;
    },
    get running() {
      return worker !== undefined;
    },
    get frames() {
      return frames;
    },
    hold() {
      return held?.promise;
    },
    async close() {
      closing = true;
      clearInterval(timer);
      release();
      const w = worker;
      worker = undefined;
      if (!w) return;
      // The worker is unref'd so it never keeps a process alive; while we wait for its exit it must, or a
      // process with nothing else to do ends mid-close (a script's top-level await: exit code 13).
      w.ref();
      w.postMessage('close');
      await exited;
    },
  };
}
