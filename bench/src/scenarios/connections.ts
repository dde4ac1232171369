import type { ConversationEvent } from '@switchboard/protocol';
import type { Socket } from 'socket.io-client';
import { authOf, type Client, connectAll, connectOne, pool, resume, send, topologyFor } from '../clients.js';
import { measure, openLoop, runResult, sleep, until } from '../loop.js';
import { rssMiB } from '../sampler.js';
import type { ServerProcess } from '../servers.js';
import { LatencyHistogram, stamp } from '../tracker.js';
import type { RunResult } from '../types.js';
import {
  type Ctx,
  closeAll,
  dur,
  ratio,
  type Scenario,
  type ScenarioOutcome,
  type Shape,
  trackerFor,
  withTarget,
} from './common.js';
import { logRun } from './messaging.js';

const GROUP = 10;
/** A reconnecting client keeps retrying this long (the target is 30 s; we watch past it). */
const RESUME_DEADLINE_MS = 90_000;

/**
 * `clients` users in groups of 10, plus one publisher per group (an extra user who stays connected). All
 * clients see some live messages, drop at once, miss `missed` messages per group, reconnect at once and
 * resume with `sync` from their contiguous high-water mark.
 */
async function storm(server: ServerProcess, ctx: Ctx, n: number, shape: Shape, missed: number): Promise<RunResult> {
  const top = topologyFor(server, shape);
  const groups = top.conversations.length;
  const ref = { current: trackerFor(top) };
  const all = await connectAll(
    server,
    top,
    top.users.map((_, i) => i),
    ref,
    100,
    ctx.log,
  );
  // Group g is users [g·11, g·11 + 10]; its first user is the publisher, who stays connected.
  const publishers = all.filter((c) => c.index % (GROUP + 1) === 0);
  let clients: Client[] = all.filter((c) => c.index % (GROUP + 1) !== 0);
  const tracker = ref.current;
  const stop = measure(server);
  const startedAt = performance.now();
  const pub = (i: number) => {
    const g = i % groups;
    return { socket: (publishers[g] as Client).socket, conversationId: (top.conversations[g] as { id: string }).id };
  };
  // Live traffic first, so every client holds a position.
  await openLoop(groups * 2, 1000, (at, i) => {
    const p = pub(i);
    send(p.socket, p.conversationId, stamp(at, i), at, tracker);
  });
  await until(() => tracker.acked + tracker.failed >= tracker.scheduled && tracker.complete(), 15_000);
  // Positions as an SDK would hold them: contiguous seq per conversation.
  const since = clients.map((c) =>
    Object.fromEntries(c.conversations.map((id) => [id, tracker.contiguous(c.index, id)])),
  );
  for (const c of clients) c.socket.close();
  await sleep(200);
  // What they miss while away, acked before they come back.
  const before = tracker.scheduled;
  await openLoop(Math.max(groups * missed, 1) * 4, 250, (at, i) => {
    const p = pub(i);
    send(p.socket, p.conversationId, stamp(at, i), at, tracker);
  });
  await until(() => tracker.acked + tracker.failed >= tracker.scheduled, 30_000);
  const missedSends = tracker.scheduled - before;
  ctx.log(`  ${server.kind}: ${n} clients dropped; ${missedSends} messages sent while away; reconnecting all at once`);

  const resumeHist = new LatencyHistogram();
  const t0 = performance.now();
  let failures = 0;
  let synced = 0;
  const reasons: Record<string, number> = {};
  // As an SDK would: retry after a failed attempt with a jittered backoff, until the deadline.
  const deadline = t0 + RESUME_DEADLINE_MS;
  const resumed = await pool(clients, clients.length, async (c, k) => {
    for (let attempt = 1; attempt <= 20 && performance.now() < deadline; attempt++) {
      let socket: Socket | undefined;
      try {
        socket = await connectOne(server.url, authOf(top, c.index));
        const s = socket;
        s.on('message.new', (e: ConversationEvent) => tracker.live(c.index, e.conversationId, e.seq, undefined, 0));
        // Not `synced += await …`: that reads `synced` before the await and loses concurrent updates.
        const got = await resume(s, since[k] ?? {}, (e) => tracker.synced(c.index, e.conversationId, e.seq));
        synced += got;
        resumeHist.recordMs(performance.now() - t0);
        return { ...c, socket: s };
      } catch (err) {
        socket?.close();
        failures++;
        const reason = String((err as Error).message ?? err).slice(0, 80);
        reasons[reason] = (reasons[reason] ?? 0) + 1;
        await sleep(500 + Math.random() * 1500 * Math.min(attempt, 4));
      }
    }
    return undefined;
  });
  const allResumedS = (performance.now() - t0) / 1000;
  clients = resumed.filter((c): c is Client => c !== undefined);
  const window = stop();
  const label = `${n} clients, ${missed} missed msgs/group${server.kind === 'baseline' ? ' (no resume: lost = missed)' : ''}`;
  const result = runResult(server, label, tracker, window, startedAt, 1, {
    reconnected: clients.length,
    failedAttempts: failures,
    failureReasons: JSON.stringify(reasons),
    allResumedS: Math.round(allResumedS * 1000) / 1000,
    resumeLatency: resumeHist.summary(),
    missedSends,
    eventsFromSync: synced,
  });
  closeAll(clients);
  closeAll(publishers);
  return result;
}

export const reconnectStorm: Scenario = {
  name: 'reconnect-storm',
  description: 'N clients (groups of 10) drop and reconnect at once, each resuming with sync from its last seq.',
  async run(ctx): Promise<ScenarioOutcome> {
    const n = Math.ceil(ctx.knob('clients', ctx.quick ? 100 : 5000) / GROUP) * GROUP;
    const groups = Math.ceil(n / GROUP);
    const missed = ctx.knob('missed', 5);
    const shape: Shape = {
      users: groups * (GROUP + 1),
      conversations: Array.from({ length: groups }, (_, g) =>
        Array.from({ length: GROUP + 1 }, (_, k) => g * (GROUP + 1) + k),
      ),
      orgSize: (GROUP + 1) * ctx.knob('groupsPerOrg', 10),
    };
    const sb = await withTarget('switchboard', 'sqlite', shape, ctx, (s) => storm(s, ctx, n, shape, missed));
    logRun(ctx, sb);
    ctx.log(
      `  switchboard: all ${sb.extra.reconnected} resumed in ${sb.extra.allResumedS} s, lost ${sb.deliveries.lost}`,
    );
    const base = await withTarget('baseline', 'sqlite', shape, ctx, (s) => storm(s, ctx, n, shape, missed));
    ctx.log(
      `  baseline: all ${base.extra.reconnected} reconnected in ${base.extra.allResumedS} s (no resume: it keeps nothing)`,
    );
    const all = sb.extra.allResumedS as number;
    const ok = sb.extra.reconnected === n && sb.deliveries.lost === 0;
    return {
      params: { clients: n, groupSize: GROUP, missedPerGroup: missed, orgSize: shape.orgSize ?? 0 },
      runs: [sb, base],
      ratios: { allResumedS: ratio(all, base.extra.allResumedS as number) },
      targets: [
        {
          name: 'reconnect-storm: all 5,000 resumed, no gaps',
          target: '<= 30 s, 0 lost',
          measured: `${sb.extra.reconnected}/${n} in ${all} s, lost ${sb.deliveries.lost}`,
          met: ctx.quick ? null : ok && all <= 30,
        },
      ],
    };
  },
};

/** Connect `n` users with no conversations; returns the clients and the server's RSS before and after. */
export async function connectIdle(server: ServerProcess, n: number, ctx: Ctx) {
  const top = topologyFor(server, { users: n, conversations: [] });
  await sleep(1000);
  const rssBefore = rssMiB(server.pid) ?? 0;
  const t0 = performance.now();
  const clients = await connectAll(
    server,
    top,
    top.users.map((_, i) => i),
    undefined,
    100,
    ctx.log,
  );
  ctx.log(`  ${server.kind}: ${clients.length} sockets connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { clients, rssBefore, connectS: (performance.now() - t0) / 1000 };
}

export const idle: Scenario = {
  name: 'idle',
  description: 'N connected, silent sockets: server RSS per connection and idle CPU.',
  async run(ctx): Promise<ScenarioOutcome> {
    const n = ctx.knob('sockets', ctx.quick ? 200 : 10_000);
    const orgSize = ctx.knob('orgSize', 100);
    const windowMs = dur(ctx, 2, 20);
    const runs: RunResult[] = [];
    for (const target of ['switchboard', 'baseline'] as const) {
      runs.push(
        await withTarget(target, 'sqlite', { users: n, conversations: [], orgSize }, ctx, async (server) => {
          const { clients, rssBefore, connectS } = await connectIdle(server, n, ctx);
          await sleep(dur(ctx, 0.5, 5));
          const stop = measure(server);
          await sleep(windowMs);
          const w = stop();
          closeAll(clients);
          const perConnKiB = ((w.server.rssEndMiB - rssBefore) * 1024) / n;
          ctx.log(
            `  ${target}: RSS ${rssBefore.toFixed(0)} → ${w.server.rssEndMiB} MiB, ${perConnKiB.toFixed(1)} KiB/socket, cpu ${w.server.cpuPercent}%`,
          );
          const tracker = trackerFor({ users: [], conversations: [] });
          return runResult(server, `${n} sockets`, tracker, w, performance.now(), windowMs / 1000, {
            sockets: clients.length,
            connectS: Math.round(connectS * 10) / 10,
            rssBeforeMiB: Math.round(rssBefore * 10) / 10,
            rssPerConnectionKiB: Math.round(perConnKiB * 10) / 10,
          });
        }),
      );
    }
    const [sb, base] = runs as [RunResult, RunResult];
    return {
      params: { sockets: n, windowMs, orgSize },
      runs,
      ratios: {
        rssPerConnection: ratio(sb.extra.rssPerConnectionKiB as number, base.extra.rssPerConnectionKiB as number),
      },
      targets: [
        {
          name: 'idle: 10,000 sockets in <= 1 GiB RSS',
          target: '<= 1024 MiB',
          measured: `${sb.server.rssEndMiB} MiB with ${sb.extra.sockets} sockets`,
          met: ctx.quick ? null : sb.server.rssEndMiB <= 1024 && sb.extra.sockets === n,
        },
      ],
    };
  },
};
