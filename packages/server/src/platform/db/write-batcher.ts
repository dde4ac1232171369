import type { Kysely } from 'kysely';
import type { DB } from '../../schema.js';
import type { Database } from './database.js';

/** Most writes one transaction takes. */
const MAX_BATCH = 256;

interface Pending {
  run(db: Kysely<DB>): Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * Group commit for independent writes: the writes queued in one turn of the event loop (each a statement or
 * two that stands on its own, like a task's insert or a conditional update of one row) run together in one
 * transaction, and each promise settles after that commit. On SQLite a commit writes every page the
 * transaction touched to the WAL, so one commit per write costs about three times as much as a batch of ten
 * (docs/performance.md). A write that fails fails the batch; each write of it then runs again on its own, so one
 * bad write never fails its neighbours and nothing is half applied.
 *
 * Only for writes whose outcome does not depend on running alone: each must hold if the others of its batch ran
 * before it in the same transaction (they never see each other's rows except through their own conditions).
 */
export function writeBatcher({
  db,
  transaction,
  checkpointHold,
}: Pick<Database, 'db' | 'transaction' | 'checkpointHold'>) {
  let queue: Pending[] = [];
  let scheduled = false;

  /** Commit what is queued now (up to `MAX_BATCH`); what arrives meanwhile waits for the next turn's batch. */
  async function drain(): Promise<void> {
    // A checkpoint that lets the WAL start over wants no commit meanwhile (database.ts `checkpointHold`).
    const hold = checkpointHold?.();
    if (hold) await hold;
    const batch = queue.length <= MAX_BATCH ? queue : queue.slice(0, MAX_BATCH);
    queue = queue.length <= MAX_BATCH ? [] : queue.slice(MAX_BATCH);
    if (batch.length === 1) {
      const [only] = batch as [Pending];
      await only.run(db).then(only.resolve, only.reject);
    } else {
      try {
        const results = await transaction(async (tx) => {
          const out: unknown[] = [];
          for (const p of batch) out.push(await p.run(tx));
          return out;
        });
        for (const [i, p] of batch.entries()) p.resolve(results[i]);
      } catch {
        for (const p of batch) await p.run(db).then(p.resolve, p.reject);
      }
    }
    // One batch per turn: sockets and requests get the event loop between two batches.
    if (queue.length > 0) setImmediate(() => void drain());
    else scheduled = false;
  }

  return {
    /** Run `write` in the next batch; resolves with its result once the batch committed. */
    run<T>(write: (db: Kysely<DB>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run: write, resolve: resolve as (v: unknown) => void, reject });
        if (scheduled) return;
        scheduled = true;
        // After this turn's I/O: the writes of every request and callback handled in this turn join the batch.
        setImmediate(() => void drain());
      });
    },
  };
}
export type WriteBatcher = ReturnType<typeof writeBatcher>;
