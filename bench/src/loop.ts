import { GeneratorSampler, ServerSampler } from './sampler.js';
import type { ServerProcess } from './servers.js';
import type { DeliveryTracker } from './tracker.js';
import type { RunResult } from './types.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Fire `fire(scheduledAt, i)` at a fixed rate for `durationMs` (open loop: the schedule never waits for
 * the server; a send that is late because the generator was busy still carries its scheduled time, so the
 * delay shows as latency instead of being hidden — no coordinated omission). Bounded by the count.
 */
export function openLoop(ratePerS: number, durationMs: number, fire: (scheduledAt: number, i: number) => void) {
  const total = Math.max(1, Math.floor((ratePerS * durationMs) / 1000));
  const interval = 1000 / ratePerS;
  const start = performance.now();
  let i = 0;
  return new Promise<{ total: number; lateMaxMs: number }>((resolve) => {
    let lateMaxMs = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now) {
        const at = start + i * interval;
        lateMaxMs = Math.max(lateMaxMs, now - at);
        fire(at, i);
        i++;
      }
      if (i >= total) resolve({ total, lateMaxMs });
      else setTimeout(tick, Math.min(5, Math.max(0, start + i * interval - performance.now())));
    };
    tick();
  });
}

/** Wait until `done()` or `timeoutMs`, polling; returns whether it finished. */
export async function until(done: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (done()) return true;
    await sleep(stepMs);
  }
  return done();
}

/** Samplers for the server and the generator over one measured window. */
export function measure(server: ServerProcess) {
  const s = new ServerSampler(server.pid, server.metricsUrl);
  const g = new GeneratorSampler();
  const t0 = performance.now();
  s.start();
  g.start();
  return () => ({ server: s.stop(), generator: g.stop(), seconds: (performance.now() - t0) / 1000 });
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/**
 * A RunResult from a tracker. Rates are over the real span: from `startedAt` (the first scheduled send) to
 * the last ack / last delivery, but never shorter than the scheduled sending time `activeS`, so a server
 * that falls behind and drains late is not credited with the scheduled rate.
 */
export function runResult(
  server: ServerProcess,
  label: string,
  tracker: DeliveryTracker,
  window: ReturnType<ReturnType<typeof measure>>,
  startedAt: number,
  activeS: number,
  extra: RunResult['extra'] = {},
): RunResult {
  const lost = tracker.lost();
  const ackSpan = Math.max(activeS, (tracker.lastAckAt - startedAt) / 1000);
  const liveSpan = Math.max(activeS, (tracker.lastLiveAt - startedAt) / 1000);
  return {
    target: server.kind,
    storage: server.storage,
    label,
    durationS: r1(activeS),
    sendsPerS: r1(tracker.acked / ackSpan),
    deliveriesPerS: r1(tracker.received / liveSpan),
    sends: { scheduled: tracker.scheduled, acked: tracker.acked, failed: tracker.failed },
    ackLatency: tracker.ackLatency.summary(),
    deliveryLatency: tracker.latency.summary(),
    deliveries: {
      expected: tracker.expected(),
      received: tracker.received,
      lost,
      duplicated: tracker.duplicated,
      reordered: tracker.reordered,
    },
    server: window.server,
    generator: window.generator,
    extra,
  };
}
