import { randomBytes } from 'node:crypto';
import type { User } from '@switchboard/protocol';
import {
  type ChatMessage,
  type ClientTiming,
  createClient,
  DEFAULT_TIMING,
  type SwitchboardClient,
  sessionAuth,
} from '@switchboard/sdk';
import { messengerSeqContinuity } from '../modules/messenger/messenger.integrity.js';
import { createPlatform, type Platform } from '../platform/platform.js';
import { connectRedis } from '../platform/redis.js';
import { createOrgWithUsers, insertTestUser, type OrgFixture, sessionFor } from '../test/auth.js';
import { testConfig } from '../test/config.js';
import { deletePrefix } from '../test/redis.js';
import { Balancer, createDatabase, DATABASE_URL, type NodeEnv, SwitchboardNode, until } from './harness.js';

/** Tokens name the deployment's public URL: the nodes and the test's signer share one. */
const PUBLIC_URL = 'http://switchboard.cluster.test';

/**
 * Production timings except reconnects: a loaded 2-core CI machine answers slower than the SDK fault
 * tests' scaled-down timeouts, and a client that gives up on its socket early would test the HTTP fallback
 * instead of the cluster. Reconnects start fast so a killed node's clients move on at once.
 */
const TIMING: ClientTiming = {
  ...DEFAULT_TIMING,
  reconnect: { baseMs: 50, capMs: 1000 },
  maxSendAttempts: 10_000,
  telemetryIntervalMs: 0,
};

/** One SDK client and what the test saw through its subscription. */
export interface ClusterClient {
  client: SwitchboardClient;
  user: User;
  /** `added` notifications per clientMsgId: exactly once means every count is 1. */
  added: Map<string, number>;
}

/**
 * A cluster under test: N `switchboard start` processes on one fresh PostgreSQL database and one Redis key
 * prefix, a round-robin balancer in front, an org with `members` extra agents and a group conversation of
 * all of them (and the org admin who created it). The test process migrates the database and signs
 * sessions with the nodes' JWT secret, as any node would.
 */
export class Cluster {
  nodes: SwitchboardNode[] = [];
  balancer!: Balancer;
  platform!: Platform;
  org!: OrgFixture;
  members: User[] = [];
  conversationId = '';
  private readonly clients: ClusterClient[] = [];
  private drop?: () => Promise<void>;
  private redis?: { url: string; prefix: string };

  static async start(opts: { nodes: number; members: number; redisUrl: string; env?: Record<string, string> }) {
    const c = new Cluster();
    try {
      const db = await createDatabase(DATABASE_URL as string);
      c.drop = db.drop;
      const jwtSecret = randomBytes(32).toString('hex');
      c.platform = await createPlatform(testConfig({ DATABASE_URL: db.url, JWT_SECRET: jwtSecret, PUBLIC_URL }));
      c.org = await createOrgWithUsers(c.platform);
      for (let i = 0; i < opts.members; i++) {
        c.members.push(
          await insertTestUser(c.platform, {
            orgId: c.org.org.id,
            email: `member${i}@${c.org.org.slug}.test`,
            displayName: `Member ${i}`,
            role: 'agent',
            passwordHash: null,
          }),
        );
      }
      c.redis = { url: opts.redisUrl, prefix: `sbcluster:${randomBytes(5).toString('hex')}:` };
      const env: NodeEnv = {
        databaseUrl: db.url,
        redisUrl: opts.redisUrl,
        redisKeyPrefix: c.redis.prefix,
        jwtSecret,
        extra: { PUBLIC_URL, ...opts.env },
      };
      c.nodes = await Promise.all(Array.from({ length: opts.nodes }, (_, i) => SwitchboardNode.start(`n${i}`, env)));
      c.balancer = await Balancer.start(c.nodes.map((n) => n.port));
      const token = (await sessionFor(c.platform, c.org.users.admin)).accessToken;
      const res = await fetch(`${c.balancer.url}/api/v1/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'group', name: 'cluster', memberIds: c.members.map((m) => m.id) }),
      });
      if (res.status !== 201) throw new Error(`create conversation: ${res.status} ${await res.text()}`);
      c.conversationId = ((await res.json()) as { conversation: { id: string } }).conversation.id;
      return c;
    } catch (err) {
      await c.close();
      throw err;
    }
  }

  /**
   * An SDK client for `user` at `url` (a node, or the balancer by default).
   */
  async client(user: User, url = this.balancer.url): Promise<ClusterClient> {
    const tokens = await sessionFor(this.platform, user);
    const c: ClusterClient = {
      client: createClient({
        url,
        auth: sessionAuth(tokens),
        userId: user.id,
        timing: TIMING,
        warn: () => {},
      }),
      user,
      added: new Map(),
    };
    c.client.subscribe('cluster-test', (e) => {
      if (e.type === 'message' && e.change === 'added') {
        c.added.set(e.message.clientMsgId, (c.added.get(e.message.clientMsgId) ?? 0) + 1);
      }
    });
    this.clients.push(c);
    await c.client.ready;
    return c;
  }

  /** This test's stored messages in a client's store (store order = seq order). */
  stored(c: ClusterClient, prefix: string): ChatMessage[] {
    return c.client.messages(this.conversationId).filter((m) => m.id !== null && m.text?.startsWith(prefix));
  }

  /** Wait until every client holds `n` stored messages of the run and no client has anything unsent. */
  async converge(clients: ClusterClient[], prefix: string, n: number, timeoutMs: number): Promise<void> {
    let lastReport = Date.now();
    await until(
      `every client to hold all ${n} messages (${this.progress(clients, prefix)})`,
      () => {
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          console.log(`cluster progress: ${this.progress(clients, prefix)}`);
        }
        return clients.every(
          (c) => c.client.pending(this.conversationId).length === 0 && this.stored(c, prefix).length >= n,
        );
      },
      timeoutMs,
      200,
    );
  }

  /** Fewest and most messages held by a client, and how many are still unsent: for timeout messages. */
  progress(clients: ClusterClient[], prefix: string): string {
    const held = clients.map((c) => this.stored(c, prefix).length);
    const pending = clients.reduce((n, c) => n + c.client.pending(this.conversationId).length, 0);
    const states = clients.map((c) => c.client.state).join(',');
    return `held ${Math.min(...held)}..${Math.max(...held)}, unsent ${pending}, connections ${states}`;
  }

  /**
   * What exactly-once, in-order delivery means for one client: `n` distinct stored messages in strictly
   * increasing seq, each notified as added exactly once. Returns the problems found (none = empty).
   */
  check(c: ClusterClient, prefix: string, n: number): string[] {
    const problems: string[] = [];
    const mine = this.stored(c, prefix);
    const ids = new Set(mine.map((m) => m.clientMsgId));
    if (mine.length !== n) problems.push(`${c.user.displayName}: ${mine.length} stored, expected ${n}`);
    if (ids.size !== mine.length) problems.push(`${c.user.displayName}: ${mine.length - ids.size} duplicates`);
    for (let i = 1; i < mine.length; i++) {
      if ((mine[i]?.seq ?? 0) <= (mine[i - 1]?.seq ?? 0)) {
        problems.push(`${c.user.displayName}: seq out of order at ${i}`);
        break;
      }
    }
    const twice = mine.filter((m) => (c.added.get(m.clientMsgId) ?? 0) !== 1).length;
    if (twice > 0) problems.push(`${c.user.displayName}: ${twice} messages not notified exactly once`);
    return problems;
  }

  /** Every conversation's events are exactly seq 1..last_seq in the database (no gap, no duplicate). */
  seqContinuity(): Promise<string[]> {
    return messengerSeqContinuity(this.platform.database.db);
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.client.close();
    await this.balancer?.close().catch(() => {});
    await Promise.all(this.nodes.map((n) => n.stop().catch(() => {})));
    await this.platform?.close().catch(() => {});
    await this.drop?.().catch(() => {});
    await this.forgetRedisKeys().catch(() => {});
  }

  /** The shared Redis keeps nothing of this run (a private redis-server may be gone already: ignored). */
  private async forgetRedisKeys(): Promise<void> {
    if (!this.redis) return;
    const conn = await connectRedis(this.redis.url, this.redis.prefix);
    try {
      await deletePrefix(conn);
    } finally {
      await conn.close();
    }
  }
}
