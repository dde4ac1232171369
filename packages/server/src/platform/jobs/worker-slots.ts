import type { JobRow } from './db-store.js';

/**
 * How long an attempt started in the database may wait here for a slot before its task is given back to the
 * queue. Only one started beyond the free slots waits, and a short task's wait is a turn of the event loop;
 * this bounds the time a task shows `running` while its type's slots are held by long handlers.
 */
export const READY_WAIT_MS = 250;

/**
 * How many attempts of a type may be started ahead of its slots while none of its handlers runs (and ahead of
 * the pool's slots, in all). A turn of the event loop at 2,000 tasks/s can bring a few dozen submits when it
 * runs long (a collection, a slow request): with room for only the cap (6 for a public type of the default
 * pool), the rest queued and waited for claims, and the p99 from submit to start was ~50–150 ms.
 */
const AHEAD = 64;

function tally() {
  const perType = new Map<string, number>();
  let total = 0;
  return {
    of: (type: string) => perType.get(type) ?? 0,
    get total() {
      return total;
    },
    add(type: string, n: 1 | -1): void {
      total += n;
      perType.set(type, (perType.get(type) ?? 0) + n);
    },
  };
}

/**
 * The slots of one worker pool. A slot is held by an attempt whose handler runs: at most `concurrency` in all
 * and at most a type's own cap (`capOf`) of one type, never more.
 *
 * An attempt the database already records as started (by a claim, or by a submit that starts its task in the
 * write that stores it) is *pending* from that write until its handler gets a slot; once written, it waits in
 * `ready`, in order. While none of a type's handlers runs, up to AHEAD of its attempts may be started ahead of
 * its slots (`room`): the writes that start tasks commit at the end of a turn of the event loop, and a short
 * task's slot is free again within the turn that launched it, so the next waiting attempt runs at once. Without
 * that room a type could start at most its cap of tasks per commit, however short they are (docs/performance.md,
 * "Started tasks wait for their slot"). The room is counted when the starting write runs: a handler of the type
 * still running then has outlived the turn it started in, so it is not short, and the type gets its free slots
 * only. A task started ahead that waits longer than READY_WAIT_MS anyway is given back to the queue.
 */
export function workerSlots(concurrency: number, capOf: (type: string) => number) {
  const running = tally();
  const pending = tally();
  const ready: JobRow[] = [];
  const slotFree = (type: string) => running.total < concurrency && running.of(type) < capOf(type);

  return {
    /** How many more attempts may be started now, in all. */
    free: () => concurrency + AHEAD - running.total - pending.total,
    /** How many more attempts of `type` may be started now (≤ 0: none). */
    room: (type: string) =>
      running.of(type) > 0
        ? capOf(type) - running.of(type) - pending.of(type)
        : Math.max(capOf(type), AHEAD) - pending.of(type),
    /** A write that starts an attempt of `type` is under way (`-1`: it is over, and started nothing). */
    reserve(type: string, n: 1 | -1): void {
      pending.add(type, n);
    },
    /** An attempt reserved before, now written as started: it waits for a slot. */
    ready(row: JobRow): void {
      ready.push(row);
    },
    /** The first waiting attempt whose type has a slot now, which it takes; undefined when none has. */
    next(): JobRow | undefined {
      const i = ready.findIndex((row) => slotFree(row.type));
      if (i < 0) return undefined;
      const [row] = ready.splice(i, 1) as [JobRow];
      pending.add(row.type, -1);
      running.add(row.type, 1);
      return row;
    },
    /** Take a waiting attempt out (given back, or cancelled); undefined when it is not waiting. */
    remove(id: string): JobRow | undefined {
      const i = ready.findIndex((row) => row.id === id);
      if (i < 0) return undefined;
      const [row] = ready.splice(i, 1) as [JobRow];
      pending.add(row.type, -1);
      return row;
    },
    isWaiting: (id: string) => ready.some((row) => row.id === id),
    waitingIds: () => ready.map((row) => row.id),
    /** A handler of `type` settled: its slot is free. */
    settled(type: string): void {
      running.add(type, -1);
    },
  };
}
export type WorkerSlots = ReturnType<typeof workerSlots>;
