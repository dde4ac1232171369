import { type Client, closeAll, connectAll, send, type Topology, type TrackerRef, topologyFor } from '../clients.js';
import { measure, openLoop, runResult, until } from '../loop.js';
import { type ServerProcess, startBaseline, startSwitchboard } from '../servers.js';
import { DeliveryTracker, stamp } from '../tracker.js';
import type { RunResult, ScenarioResult, SeedSpec } from '../types.js';

export interface Ctx {
  quick: boolean;
  /** A scale knob: `--set <scenario>.<name>=<value>` overrides `def` (numbers; lists as `a/b/c`). */
  knob(name: string, def: number): number;
  knobList(name: string, def: number[]): number[];
  /** Multiplies every measured duration (full runs only); `--duration-scale`. */
  durationScale: number;
  log: (line: string) => void;
}

/** A measured duration in ms: `quickS` or `fullS` seconds, times `--duration-scale`. */
export const dur = (ctx: Ctx, quickS: number, fullS: number) =>
  Math.round((ctx.quick ? quickS : fullS) * ctx.durationScale * 1000);

export type ScenarioOutcome = Omit<ScenarioResult, 'name' | 'description'>;

export interface Scenario {
  name: string;
  description: string;
  run(ctx: Ctx): Promise<ScenarioOutcome>;
}

/** Users, and conversations as lists of member indices (the first member creates it). */
export interface Shape {
  users: number;
  conversations: number[][];
  direct?: boolean;
  /**
   * Users per org (default: all in one). Every connect of a staff user sends a presence change to every
   * staff socket of the org plus an `online:users` list, so connecting N staff of one org costs O(N²).
   */
  orgSize?: number;
  /** Role of everyone but `agents` (default `agent`). */
  role?: 'agent' | 'customer';
  agents?: number[];
  /** Import the demo help articles into every org. */
  kb?: 'demo';
  /** Task types every org enables. */
  taskTypes?: string[];
}

export function specOf(shape: Shape): SeedSpec {
  return {
    users: shape.users,
    orgSize: shape.orgSize ?? shape.users,
    role: shape.role ?? 'agent',
    agents: shape.agents,
    ...(shape.kb ? { kb: shape.kb } : {}),
    ...(shape.taskTypes ? { taskTypes: shape.taskTypes } : {}),
    conversations: shape.conversations.map((members) => ({
      kind: shape.direct && members.length === 2 ? 'direct' : 'group',
      members,
    })),
  };
}

/** Start the target, run `fn`, always stop it (and drop its storage). */
export async function withTarget<T>(
  target: 'switchboard' | 'baseline',
  storage: 'sqlite' | 'postgres',
  shape: Shape,
  ctx: Ctx,
  fn: (server: ServerProcess, top: Topology) => Promise<T>,
  env?: Record<string, string>,
): Promise<T> {
  const t0 = performance.now();
  const server =
    target === 'baseline' ? await startBaseline() : await startSwitchboard({ storage, spec: specOf(shape), env });
  ctx.log(
    `  ${target}${target === 'switchboard' ? ` (${storage})` : ''} up in ${((performance.now() - t0) / 1000).toFixed(1)} s (pid ${server.pid})`,
  );
  try {
    return await fn(server, topologyFor(server, shape));
  } finally {
    await server.stop();
  }
}

/** Per-step tracker for `top`'s conversations from their current positions. */
export function trackerFor(top: Topology, prev?: DeliveryTracker): DeliveryTracker {
  const t = new DeliveryTracker();
  for (const c of top.conversations) {
    t.addConversation(c.id, Math.max(c.startSeq, prev?.maxAcked(c.id) ?? 0), c.members);
  }
  return t;
}

export async function connectEveryone(server: ServerProcess, top: Topology, ref: TrackerRef, ctx: Ctx) {
  const t0 = performance.now();
  const clients = await connectAll(
    server,
    top,
    top.users.map((_, i) => i),
    ref,
    100,
    ctx.log,
  );
  ctx.log(`  ${clients.length} clients connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return clients;
}

/**
 * One open-loop messaging step: `rate` sends/s for `durationMs`, send `i` going to `pick(i)`, then a drain
 * (bounded) until every acked message reached every member.
 */
export async function messagingStep(
  server: ServerProcess,
  clients: readonly Client[],
  tracker: DeliveryTracker,
  opts: {
    label: string;
    rate: number;
    durationMs: number;
    pick: (i: number) => { sender: number; conversationId: string };
    drainMs?: number;
  },
): Promise<RunResult> {
  const stop = measure(server);
  const startedAt = performance.now();
  const loop = await openLoop(opts.rate, opts.durationMs, (at, i) => {
    const { sender, conversationId } = opts.pick(i);
    const c = clients[sender];
    if (c) send(c.socket, conversationId, stamp(at, i), at, tracker);
  });
  const drained = await until(
    () => tracker.acked + tracker.failed >= tracker.scheduled && tracker.complete(),
    opts.drainMs ?? 15_000,
  );
  const window = stop();
  return runResult(server, opts.label, tracker, window, startedAt, opts.durationMs / 1000, {
    targetRatePerS: opts.rate,
    generatorLateMaxMs: Math.round(loop.lateMaxMs),
    drained,
  });
}

/**
 * A short unrecorded run at the measured rate first: a fresh server process is still compiling its hot
 * paths (JIT) for the first seconds. Leaves `ref` on a new tracker that starts after the warm-up's seqs.
 */
export async function warmUp(
  server: ServerProcess,
  clients: readonly Client[],
  ref: TrackerRef,
  top: Topology,
  ctx: Ctx,
  opts: { rate: number; pick: (i: number) => { sender: number; conversationId: string } },
): Promise<void> {
  ref.current = trackerFor(top, ref.current);
  await messagingStep(server, clients, ref.current, {
    label: 'warm-up',
    rate: opts.rate,
    durationMs: dur(ctx, 1, 5),
    pick: opts.pick,
  });
  ref.current = trackerFor(top, ref.current);
}

/** Round-robin over conversations, and within each over its members as senders. */
export function roundRobin(top: Topology) {
  const convs = top.conversations;
  return (i: number) => {
    const c = convs[i % convs.length] as Topology['conversations'][number];
    const k = Math.floor(i / convs.length);
    return { sender: c.members[k % c.members.length] as number, conversationId: c.id };
  };
}

export { closeAll };

/** Switchboard's figure over the baseline's, or null when either is missing or zero. */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || b === 0) return null;
  return Math.round((a / b) * 1000) / 1000;
}
