import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '../clients.js';
import { measure, openLoop, runResult, sleep, until } from '../loop.js';
import { ROOT } from '../servers.js';
import { LatencyHistogram } from '../tracker.js';
import type { RunResult } from '../types.js';
import { closeAll, dur, ratio, type Scenario, type ScenarioOutcome, trackerFor, withTarget } from './common.js';
import { connectIdle } from './connections.js';

const BOOKKEEPING = path.join(path.dirname(fileURLToPath(import.meta.url)), '../presence-bookkeeping.ts');
/** Switchboard counts each Socket.IO transport ping (every 25 s) as a heartbeat too. */
const PING_S = 25;

interface Bookkeeping {
  users: number;
  simulatedMs: number;
  heartbeats: number;
  sweeps: number;
  cpuMs: number;
  coreShare: number;
  heapBytesPerUser: number;
}

/** Run presence-bookkeeping.ts in its own process (nothing else in it) and read its JSON line. */
async function bookkeeping(users: number, everyS: number, orgSize: number, simulatedS: number): Promise<Bookkeeping> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', BOOKKEEPING, String(users), String(everyS), String(orgSize), String(simulatedS)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-3000);
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`presence bookkeeping failed (${code}): ${err}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as Bookkeeping;
}

export const presence: Scenario = {
  name: 'presence',
  description: 'N users connected, each sending a presence heartbeat every 30 s (spread evenly): server CPU share.',
  async run(ctx): Promise<ScenarioOutcome> {
    const n = ctx.knob('users', ctx.quick ? 200 : 10_000);
    const orgSize = ctx.knob('orgSize', 100);
    const everyMs = ctx.knob('everyS', ctx.quick ? 2 : 30) * 1000;
    const windowMs = dur(ctx, 4, 60);
    const runs: RunResult[] = [];
    for (const target of ['switchboard', 'baseline'] as const) {
      runs.push(
        await withTarget(target, 'sqlite', { users: n, conversations: [], orgSize }, ctx, async (server) => {
          const { clients } = await connectIdle(server, n, ctx);
          await sleep(dur(ctx, 0.5, 5));
          const acks = new LatencyHistogram();
          let sent = 0;
          let ok = 0;
          let failed = 0;
          const stop = measure(server);
          const startedAt = performance.now();
          await openLoop((n * 1000) / everyMs, windowMs, (at, i) => {
            const c = clients[i % n] as Client;
            sent++;
            c.socket.timeout(30_000).emit('heartbeat', {}, (err: Error | null, ack: { ok: boolean } | undefined) => {
              if (err || !ack?.ok) failed++;
              else {
                ok++;
                acks.recordMs(performance.now() - at);
              }
            });
          });
          await until(() => ok + failed >= sent, 30_000);
          const w = stop();
          closeAll(clients);
          const tracker = trackerFor({ users: [], conversations: [] });
          const r = runResult(
            server,
            `${n} users, heartbeat every ${everyMs / 1000} s`,
            tracker,
            w,
            startedAt,
            windowMs / 1000,
            {
              heartbeats: sent,
              heartbeatsOk: ok,
              heartbeatsFailed: failed,
              heartbeatsPerS: Math.round((ok / (windowMs / 1000)) * 10) / 10,
              heartbeatAckLatency: acks.summary(),
            },
          );
          r.ackLatency = acks.summary();
          r.sends = { scheduled: sent, acked: ok, failed };
          r.sendsPerS = r.extra.heartbeatsPerS as number;
          ctx.log(
            `  ${target}: ${r.extra.heartbeatsPerS} heartbeats/s, server cpu ${r.server.cpuPercent}%, ack p99 ${acks.summary()?.p99 ?? '-'} ms`,
          );
          return r;
        }),
      );
    }
    const [sb, base] = runs as [RunResult, RunResult];

    // The bookkeeping alone: app heartbeats plus transport pings, both of which the server turns into presence
    // heartbeats, i.e. one heartbeat per user every 1 / (1/everyS + 1/25) s.
    const everyS = everyMs / 1000;
    const combinedS = 1 / (1 / everyS + 1 / PING_S);
    const simulatedS = ctx.quick ? 60 : 300;
    const book = await bookkeeping(n, combinedS, orgSize, simulatedS);
    const bookPercent = Math.round(book.coreShare * 10_000) / 100;
    ctx.log(
      `  bookkeeping: ${book.heartbeats} heartbeats + ${book.sweeps} sweeps over ${simulatedS} simulated s: ${book.cpuMs.toFixed(0)} ms CPU = ${bookPercent}% of a core`,
    );
    ctx.log(`  presence memory: ${book.heapBytesPerUser} bytes of heap per online user`);
    sb.extra.bookkeepingCpuPercent = bookPercent;
    sb.extra.presenceHeapBytesPerUser = book.heapBytesPerUser;
    sb.extra.bookkeepingHeartbeatsPerS = Math.round((book.heartbeats / simulatedS) * 10) / 10;
    sb.extra.socketPathCpuOverBaselinePercent = Math.round((sb.server.cpuPercent - base.server.cpuPercent) * 10) / 10;
    return {
      params: { users: n, heartbeatEveryMs: everyMs, windowMs, orgSize, bookkeepingSimulatedS: simulatedS },
      runs,
      ratios: { serverCpu: ratio(sb.server.cpuPercent, base.server.cpuPercent) },
      targets: [
        {
          name: `presence: ${n} users heartbeating every ${everyS} s, bookkeeping under 5% of one core`,
          target: '< 5% of one core',
          measured: `${bookPercent}% (${sb.extra.bookkeepingHeartbeatsPerS} heartbeats/s incl. transport pings, sweeps, lastSeen writes); whole socket path ${sb.server.cpuPercent}% vs baseline ${base.server.cpuPercent}%`,
          met: ctx.quick ? null : bookPercent < 5,
        },
      ],
    };
  },
};
