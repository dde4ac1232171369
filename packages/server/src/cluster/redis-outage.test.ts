import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type ClusterClient } from './fixture.js';
import { clusterSkipReason, RedisServer, sleep, until } from './harness.js';

const MEMBERS = 4;
const PER_PHASE = 30;
const HEARTBEAT_TIMEOUT_MS = 8000;
const OUTAGE_MS = 10_000;

describe.skipIf(clusterSkipReason)('cluster: Redis down for 10 s during a run', () => {
  let redis: RedisServer;
  let cluster: Cluster;
  let clients: ClusterClient[] = [];
  beforeAll(async () => {
    // A redis-server of this test's own: stopping it touches nobody else's Redis.
    redis = await RedisServer.start();
    cluster = await Cluster.start({
      nodes: 2,
      members: MEMBERS,
      redisUrl: redis.url,
      env: { PRESENCE_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS), PRESENCE_OFFLINE_GRACE_MS: '1000' },
    });
    // Alternate nodes directly: half of every member's messages cross between nodes through Redis.
    clients = await Promise.all(cluster.members.map((m, i) => cluster.client(m, cluster.nodes[i % 2]?.url)));
  }, 180_000);
  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
  });

  const sendPhase = (phase: string) => {
    for (let i = 0; i < PER_PHASE; i++) {
      for (const [s, c] of clients.entries()) c.client.send(cluster.conversationId, `out-${phase}-${s}-${i}`);
    }
  };
  const onNode = (n: number) => clients.filter((_, i) => i % 2 === n);

  it('nodes keep serving their own sockets; after Redis returns nothing is lost or doubled, presence is right again', async () => {
    const total = 3 * PER_PHASE * MEMBERS;
    sendPhase('a');
    await cluster.converge(clients, 'out-a-', PER_PHASE * MEMBERS, 300_000);

    await redis.stop();
    const downAt = Date.now();
    const node0 = cluster.nodes[0];
    await until('node 0 to report Redis down', async () => (await node0?.readiness())?.checks.redis?.ok === false);
    sendPhase('b');
    // Every send is still stored and acknowledged, and node 0's own members hear each other live.
    await until('the outage sends to be acknowledged', () =>
      clients.every((c) => c.client.pending(cluster.conversationId).length === 0),
    );
    const local = onNode(0);
    const localTexts = local.map((_, k) => `out-b-${2 * k}-`);
    await until('node 0 members to hear node 0 senders without Redis', () =>
      local.every((c) => localTexts.every((t) => cluster.stored(c, t).length === PER_PHASE)),
    );
    const servedAfterMs = Date.now() - downAt;
    await sleep(Math.max(0, OUTAGE_MS - servedAfterMs));

    await redis.resume();
    const upAt = Date.now();
    const downMs = upAt - downAt;
    // Presence: every connected member is shown present again within one heartbeat timeout.
    const viewer = clients[0] as ClusterClient;
    const present = async () => {
      const list = await viewer.client.presence.list().catch(() => []);
      return cluster.members.every((m) => list.some((p) => p.userId === m.id && p.status !== 'offline'));
    };
    await until('presence to be right again', present, HEARTBEAT_TIMEOUT_MS, 100);
    const presenceAfterMs = Date.now() - upAt;
    await until('node 0 to report Redis up', async () => (await node0?.readiness())?.status === 'ready', 30_000);

    sendPhase('c');
    await cluster.converge(clients, 'out-', total, 300_000);
    console.log(
      `cluster Redis outage: ${downMs} ms down; node 0's members heard each other ` +
        `${servedAfterMs} ms into it; presence right ${presenceAfterMs} ms after Redis returned`,
    );
    expect(clients.flatMap((c) => cluster.check(c, 'out-', total))).toEqual([]);
    expect(await cluster.seqContinuity()).toEqual([]);
  }, 600_000);
});

// Without PostgreSQL and Redis the suite is skipped with its reason shown (registered only then).
const skipReason = clusterSkipReason;
if (skipReason) describe('cluster: Redis down for 10 s during a run', () => it.skip(skipReason, () => {}));
