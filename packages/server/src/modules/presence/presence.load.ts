import type { Actor } from '../../actor.js';
import type { PresenceService } from './presence.service.js';

export interface PresenceLoadOptions {
  /** Connected users, one socket each; they exist in the database (lastSeen rows reference them). */
  actors: readonly Actor[];
  /** Each user beats this often (the scenario: 30 s). */
  heartbeatMs: number;
  /** How much simulated time to run after everyone connected. */
  durationMs: number;
  /** The cleanup loop's period (the module uses 5 s). */
  sweepMs?: number;
  /** Moves the service's clock (a manual clock the caller built the service with). */
  advance: (ms: number) => void;
}

export interface PresenceLoadResult {
  users: number;
  simulatedMs: number;
  heartbeats: number;
  sweeps: number;
  /** CPU time this process spent (user + system) on the steady phase: heartbeats, sweeps, lastSeen writes. */
  cpuMs: number;
  /** cpuMs / simulatedMs: the share of one core the bookkeeping needs in real time. */
  coreShare: number;
  /**
   * JS heap the connected users added, per user (presence records, device entries, lastSeen buffers):
   * heap after everyone connected minus before, over the user count. Exact only with `node --expose-gc`
   * (a collection runs before each reading); without it, garbage may inflate or hide some of it.
   */
  heapBytesPerUser: number;
}

/**
 * Drive the presence service like N connected users beating every `heartbeatMs`, with the cleanup loop,
 * on a simulated clock, and measure the CPU it costs. For the benchmark (bench/); tests use it with small
 * numbers and no timing thresholds.
 *
 * @example
 * ```ts
 * let t = Date.now();
 * const svc = presenceService(platform, { clock: { now: () => t } });
 * const r = await drivePresenceLoad(svc, { actors, heartbeatMs: 30_000, durationMs: 120_000, advance: (ms) => { t += ms; } });
 * ```
 */
export async function drivePresenceLoad(svc: PresenceService, opts: PresenceLoadOptions): Promise<PresenceLoadResult> {
  const sweepMs = opts.sweepMs ?? 5_000;
  const socketId = (a: Actor) => `load-${a.userId}`;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  for (const actor of opts.actors) await svc.connect(actor, socketId(actor));
  await svc.sweep();
  gc?.();
  const heapBytesPerUser = Math.round((process.memoryUsage().heapUsed - heapBefore) / opts.actors.length);

  // Heartbeats spread evenly over the interval, processed in slices of one sweep period.
  const due = (t: number) => Math.floor((opts.actors.length * t) / opts.heartbeatMs);
  let cursor = 0;
  let heartbeats = 0;
  let sweeps = 0;
  const start = process.cpuUsage();
  for (let elapsed = 0; elapsed < opts.durationMs; elapsed += sweepMs) {
    const n = due(elapsed + sweepMs) - due(elapsed);
    const step = sweepMs / Math.max(1, n);
    for (let i = 0; i < n; i++) {
      const actor = opts.actors[cursor % opts.actors.length] as Actor;
      cursor += 1;
      opts.advance(step);
      await svc.heartbeat(actor, {}, socketId(actor));
      heartbeats += 1;
    }
    if (n === 0) opts.advance(sweepMs);
    await svc.sweep();
    sweeps += 1;
  }
  const used = process.cpuUsage(start);
  const cpuMs = (used.user + used.system) / 1000;
  for (const actor of opts.actors) await svc.disconnect(actor, socketId(actor));
  return {
    users: opts.actors.length,
    simulatedMs: opts.durationMs,
    heartbeats,
    sweeps,
    cpuMs,
    coreShare: cpuMs / opts.durationMs,
    heapBytesPerUser,
  };
}
