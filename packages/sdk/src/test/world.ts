import type { AddressInfo } from 'node:net';
import type { Role, User } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/src/app.js';
import type { Config } from '../../../server/src/config.js';
import { reopenPlatform } from '../../../server/src/modules/messenger/test/reopen.js';
import { createPlatform, type Platform } from '../../../server/src/platform/platform.js';
import { createOrgWithUsers, type OrgFixture, sessionFor } from '../../../server/src/test/auth.js';
import { testConfig } from '../../../server/src/test/config.js';
import type { StorageTarget } from '../../../server/src/test/storage.js';
import { sessionAuth } from '../auth.js';
import { createClient, type SwitchboardClient } from '../client.js';
import type { ChatMessage } from '../conversation-store.js';
import type { ClientOptions, ClientTiming } from '../options.js';
import { FaultProxy } from './proxy.js';

/** Test timings: the production logic, scaled down so a scenario of 1,000 sends takes seconds. */
export const FAST: Partial<ClientTiming> = {
  sendTimeoutMs: 400,
  sendRetry: { baseMs: 20, capMs: 200 },
  maxSendAttempts: 10_000,
  reconnect: { baseMs: 20, capMs: 250 },
  connectTimeoutMs: 600,
  failuresBeforeFallback: 3,
  stallTimeoutMs: 2_000,
  pollIntervalMs: 150,
  pollJitterMs: 30,
  requestTimeoutMs: 3_000,
  telemetryIntervalMs: 0,
};

export { sleep, until } from '../../../server/src/test/waits.js';

/** One SDK client plus what the test observed through its subscription. */
export interface TestClient {
  client: SwitchboardClient;
  user: User;
  /** `added` notifications per clientMsgId: exactly-once delivery means every count is 1. */
  added: Map<string, number>;
  warnings: string[];
  authExpired: number;
}

/**
 * A running server (on one storage target) behind a FaultProxy, an org, and a group conversation of three
 * staff members; `restart()` stops the server and starts a new one on the same database.
 */
export class World {
  app!: FastifyInstance;
  platform!: Platform;
  proxy!: FaultProxy;
  org!: OrgFixture;
  conversationId!: string;
  members!: User[];
  private config!: Config;
  private drop?: () => Promise<void>;
  private readonly platforms: Platform[] = [];
  private readonly clients: TestClient[] = [];

  static async start(target: StorageTarget, env: Record<string, string> = {}): Promise<World> {
    const w = new World();
    w.config = testConfig(env);
    const opened = await target.open(w.config);
    w.drop = opened.drop;
    w.platform = await createPlatform(w.config, { database: opened.database });
    w.platforms.push(w.platform);
    const port = await w.listen();
    w.proxy = await FaultProxy.start(port);
    w.org = await createOrgWithUsers(w.platform);
    w.members = (['admin', 'agent', 'supervisor'] as Role[]).map((r) => w.org.users[r]);
    const token = (await sessionFor(w.platform, w.org.users.admin)).accessToken;
    const res = await w.app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: { authorization: `Bearer ${token}` },
      payload: { kind: 'group', name: 'sdk', memberIds: [w.org.users.agent.id, w.org.users.supervisor.id] },
    });
    if (res.statusCode !== 201) throw new Error(`create conversation: ${res.statusCode} ${res.body}`);
    w.conversationId = res.json().conversation.id;
    return w;
  }

  private async listen(): Promise<number> {
    this.app = await buildApp(this.config, { platform: this.platform });
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    return (this.app.server.address() as AddressInfo).port;
  }

  /** Stop the server under the traffic and start a new process's worth on the same data. */
  async restart(): Promise<void> {
    await this.app.close();
    const reopened = await reopenPlatform(this.platform, this.config);
    this.platforms.push(reopened);
    this.platform = reopened;
    this.proxy.setUpstream(await this.listen());
  }

  /** An SDK client for `user`, through the proxy unless `direct`. */
  async client(user: User, opts: Partial<ClientOptions> & { direct?: boolean } = {}): Promise<TestClient> {
    const tokens = await sessionFor(this.platform, user);
    const t: TestClient = { client: undefined as never, user, added: new Map(), warnings: [], authExpired: 0 };
    const url = opts.direct ? `http://127.0.0.1:${(this.app.server.address() as AddressInfo).port}` : this.proxy.url;
    t.client = createClient({
      url,
      auth: sessionAuth(tokens),
      userId: user.id,
      warn: (m) => t.warnings.push(m),
      ...opts,
      timing: { ...FAST, ...opts.timing },
    });
    t.client.subscribe('test-observer', (e) => {
      if (e.type === 'message' && e.change === 'added')
        t.added.set(e.message.clientMsgId, (t.added.get(e.message.clientMsgId) ?? 0) + 1);
      if (e.type === 'auth.expired') t.authExpired++;
    });
    this.clients.push(t);
    return t;
  }

  /** The conversation's messages as the server stores them (oldest first). */
  async serverMessages(): Promise<{ id: string; seq: number; clientMsgId: string; text: string | null }[]> {
    const token = (await sessionFor(this.platform, this.org.users.admin)).accessToken;
    const out: { id: string; seq: number; clientMsgId: string; text: string | null }[] = [];
    for (let after = 0; ; ) {
      const res = await this.app.inject({
        method: 'GET',
        url: `/api/v1/conversations/${this.conversationId}/messages?after=${after}&limit=100`,
        headers: { authorization: `Bearer ${token}` },
      });
      const page = res.json() as { items: typeof out; hasMore: boolean };
      out.push(...page.items);
      const last = page.items.at(-1);
      if (!page.hasMore || !last) return out;
      after = last.seq;
    }
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.client.close();
    await this.proxy.close().catch(() => {});
    await this.app.close().catch(() => {});
    await this.drop?.();
    for (const p of this.platforms) await p.close().catch(() => {});
  }
}

/** The test's messages in a client's store, in store order. */
export function ours(c: TestClient, conversationId: string, prefix: string): ChatMessage[] {
  return c.client.messages(conversationId).filter((m) => m.text?.startsWith(prefix));
}
