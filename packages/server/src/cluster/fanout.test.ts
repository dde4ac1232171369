import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, type ClusterClient } from './fixture.js';
import { clusterSkipReason, REDIS_URL } from './harness.js';

const SENDERS = 20;
const PER_SENDER = 500;
const TOTAL = SENDERS * PER_SENDER;

describe.skipIf(clusterSkipReason)('cluster: fan-out across two nodes', () => {
  let cluster: Cluster;
  let clients: ClusterClient[] = [];
  beforeAll(async () => {
    cluster = await Cluster.start({ nodes: 2, members: SENDERS, redisUrl: REDIS_URL as string });
    // Alternate nodes directly: half the members hear the other half's messages only through Redis.
    clients = await Promise.all(cluster.members.map((m, i) => cluster.client(m, cluster.nodes[i % 2]?.url)));
  }, 120_000);
  afterAll(() => cluster?.close());

  it(`${SENDERS} senders × ${PER_SENDER} messages: every member holds all ${TOTAL}, in seq order, none twice`, async () => {
    const started = Date.now();
    const prefix = 'fan';
    for (let i = 0; i < PER_SENDER; i++) {
      for (const [s, c] of clients.entries()) c.client.send(cluster.conversationId, `${prefix}-${s}-${i}`);
    }
    await cluster.converge(clients, prefix, TOTAL, 1_500_000);
    const elapsed = Date.now() - started;
    console.log(`cluster fan-out: ${TOTAL} messages × ${clients.length} members in ${elapsed} ms`);
    expect(clients.flatMap((c) => cluster.check(c, prefix, TOTAL))).toEqual([]);
    // Each sender's own messages keep its send order (the outbox sends in order; seqs follow commits).
    for (const [s, c] of clients.entries()) {
      const own = cluster.stored(c, `${prefix}-${s}-`).map((m) => Number(m.text?.split('-')[2]));
      expect(own).toEqual(Array.from({ length: PER_SENDER }, (_, i) => i));
    }
    expect(await cluster.seqContinuity()).toEqual([]);
  }, 1_560_000);
});

// Without PostgreSQL and Redis the suite is skipped with its reason shown (registered only then).
const skipReason = clusterSkipReason;
if (skipReason) describe('cluster: fan-out across two nodes', () => it.skip(skipReason, () => {}));
