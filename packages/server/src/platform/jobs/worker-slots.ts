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
export interface WorkerSlotsOptions {
  concurrency: number;
  /** A type's own cap. */
  capOf(type: string): number;
  /** How long a started attempt may wait for its slot (READY_WAIT_MS, or less with a short lease). */
  waitMs: number;
  /** Run an attempt that has just taken its slot. */
  launch(row: JobRow): void;
  /** An attempt waited `waitMs` in vain: take it out (`remove`) and give its task back to the queue. */
  giveBack(id: string): void;
  /** False while the pool stops: nothing more is launched, what waits is given back. */
  open(): boolean;
}

/** An attempt waiting for its slot, with the timer that gives it back. */
interface Waiting {
  row: JobRow;
  timer?: NodeJS.Timeout;
}

export function workerSlots(o: WorkerSlotsOptions) {
  const running = tally();
  const pending = tally();
  const ready: Waiting[] = [];
  const slotFree = (type: string) => running.total < o.concurrency && running.of(type) < o.capOf(type);
  const free = () => o.concurrency + AHEAD - running.total - pending.total;
  const room = (type: string) =>
    running.of(type) > 0
      ? o.capOf(type) - running.of(type) - pending.of(type)
      : Math.max(o.capOf(type), AHEAD) - pending.of(type);

  /** Launch the waiting attempts, in order, whose type has a slot now. */
  function pump(): void {
    if (!o.open()) return;
    for (;;) {
      const i = ready.findIndex((w) => slotFree(w.row.type));
      if (i < 0) return;
      const [{ row, timer }] = ready.splice(i, 1) as [Waiting];
      clearTimeout(timer);
      pending.add(row.type, -1);
      running.add(row.type, 1);
      o.launch(row);
    }
  }

  return {
    /** How many more attempts may be started now, in all. */
    free,
    /** How many more attempts of `type` may be started now (≤ 0: none). */
    room,
    /**
     * What a claim may take, counted when its write runs: by then the short tasks started in the writes before
     * it have settled and freed their slots. Counted when the claim is asked for, they would still hold them.
     */
    claimPlan(types: Iterable<string>, drained: (type: string) => boolean) {
      const limit = free();
      const claimable: string[] = [];
      const caps = new Map<string, number>();
      let atCap = false;
      for (const type of types) {
        const r = room(type);
        if (r <= 0) {
          atCap = true;
          continue;
        }
        if (drained(type)) continue;
        claimable.push(type);
        if (r < limit) caps.set(type, r);
      }
      return { free: limit, types: claimable, caps, atCap };
    },
    /** A write that starts an attempt of `type` is under way (`-1`: it is over, and started nothing). */
    reserve(type: string, n: 1 | -1): void {
      pending.add(type, n);
    },
    /** An attempt reserved before, now written as started: it runs now if its type has a slot, else waits. */
    start(row: JobRow): void {
      const waiting: Waiting = { row };
      ready.push(waiting);
      pump();
      if (!ready.includes(waiting)) return;
      waiting.timer = setTimeout(() => o.giveBack(row.id), o.waitMs);
      waiting.timer.unref();
    },
    /** Take a waiting attempt out (given back, or cancelled); undefined when it is not waiting. */
    remove(id: string): JobRow | undefined {
      const i = ready.findIndex((w) => w.row.id === id);
      if (i < 0) return undefined;
      const [{ row, timer }] = ready.splice(i, 1) as [Waiting];
      clearTimeout(timer);
      pending.add(row.type, -1);
      return row;
    },
    waitingIds: () => ready.map((w) => w.row.id),
    /** A handler of `type` settled: its slot is free, for the next waiting attempt. */
    settled(type: string): void {
      running.add(type, -1);
      pump();
    },
  };
}
export type WorkerSlots = ReturnType<typeof workerSlots>;
