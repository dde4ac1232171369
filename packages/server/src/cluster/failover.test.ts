import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type ClusterClient } from './fixture.js';
import { clusterSkipReason, REDIS_URL, until } from './harness.js';

const MEMBERS = 6;
const PER_SENDER = 100;
const TOTAL = MEMBERS * PER_SENDER;

describe.skipIf(clusterSkipReason)('cluster: a node killed with SIGKILL mid-run', () => {
  let cluster: Cluster;
  const clients: ClusterClient[] = [];
  beforeAll(async () => {
    cluster = await Cluster.start({ nodes: 2, members: MEMBERS, redisUrl: REDIS_URL as string });
    // Through the balancer (round robin, no stickiness), as behind nginx.
    for (const m of cluster.members) clients.push(await cluster.client(m));
    await until('both nodes to hold sockets', async () => (await cluster.nodes[1]?.sockets()) !== 0, 30_000);
  }, 180_000);
  afterAll(() => cluster?.close());

  it('its clients reconnect to the other node and every member ends with the full history, exactly once', async () => {
    const [survivor, victim] = cluster.nodes as [NonNullable<(typeof cluster.nodes)[0]>, (typeof cluster.nodes)[0]];
    const onVictim = (await victim?.sockets()) ?? 0;
    expect(onVictim).toBeGreaterThan(0);
    const prefix = 'kill';
    for (let i = 0; i < PER_SENDER; i++) {
      for (const [s, c] of clients.entries()) c.client.send(cluster.conversationId, `${prefix}-${s}-${i}`);
    }
    const held = () => Math.min(...clients.map((c) => cluster.stored(c, prefix).length));
    await until('a third of the run to be delivered', () => held() >= TOTAL / 3, 300_000, 100);
    await victim?.kill('SIGKILL');
    const heldAtKill = held();
    await cluster.converge(clients, prefix, TOTAL, 600_000);
    console.log(
      `cluster failover: SIGKILL with ${onVictim} of ${clients.length} sockets on the node, at ${heldAtKill}/${TOTAL}; ` +
        `survivor now holds ${await survivor.sockets()} sockets`,
    );
    expect(await survivor.sockets()).toBe(clients.length);
    expect(clients.flatMap((c) => cluster.check(c, prefix, TOTAL))).toEqual([]);
    expect(await cluster.seqContinuity()).toEqual([]);
  }, 960_000);
});

// Without PostgreSQL and Redis the suite is skipped with its reason shown (registered only then).
const skipReason = clusterSkipReason;
if (skipReason) describe('cluster: a node killed with SIGKILL mid-run', () => it.skip(skipReason, () => {}));
