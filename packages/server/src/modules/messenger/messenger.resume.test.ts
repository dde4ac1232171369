import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Platform } from '../../platform/platform.js';
import { listen, sessionFor } from '../../test/auth.js';
import { describeStorage } from '../../test/storage.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';
import { ResumeClient } from './test/client.js';
import { must, orgWithUsers, sleep, type TestUser } from './test/fixture.js';
import { reopenPlatform } from './test/reopen.js';

/**
 * The resume checker: clients lose their connection at random points while messages flow (and, in the
 * second test, the server itself restarts on the same database); each reconnects, syncs, and must end
 * with exactly the conversation's full history — every seq once, no gap, no message twice.
 */
describeStorage(
  'messenger resume checker',
  (ctx) => {
    let users: TestUser[];
    const apps: FastifyInstance[] = [];
    const platforms: Platform[] = [];

    beforeAll(async () => {
      users = await orgWithUsers(ctx().platform, 6);
    });
    afterAll(async () => {
      for (const app of apps) await app.close().catch(() => {});
      for (const p of platforms) await p.close().catch(() => {});
    });

    async function start(platform: Platform): Promise<string> {
      const app = await buildApp(ctx().config, { platform });
      apps.push(app);
      return listen(app);
    }

    async function groupOfAll(): Promise<string> {
      const svc = messengerService(ctx().platform, recordingNotifier().notifier);
      const [owner, ...rest] = users;
      const { conversation } = await svc.conversations.create(must(owner), {
        kind: 'group',
        name: 'resume',
        memberIds: rest.map((u) => u.userId),
      });
      return conversation.id;
    }

    async function clientsFor(conversationId: string, url: () => string): Promise<ResumeClient[]> {
      const clients = [];
      for (const [i, u] of users.entries()) {
        const { accessToken } = await sessionFor(ctx().platform, u.user);
        clients.push(new ResumeClient(`c${i}`, accessToken, conversationId, url));
      }
      await Promise.all(clients.map((c) => c.connect()));
      return clients;
    }

    /** Every client holds seq 1..lastSeq exactly once, and the messages are exactly the acknowledged sends. */
    async function expectFullHistory(clients: ResumeClient[], conversationId: string, sent: number) {
      const svc = messengerService(ctx().platform, recordingNotifier().notifier);
      const conv = await svc.conversations.get(must(users[0]), conversationId);
      const ackedIds = new Set(clients.flatMap((c) => [...c.acked.values()]));
      expect(ackedIds.size).toBe(sent);
      expect(conv.lastSeq).toBe(sent);
      for (const c of clients) {
        await c.connect();
        await c.catchUp();
        expect(c.conflicts, c.name).toEqual([]);
        expect(
          [...c.seen.keys()].sort((a, b) => a - b),
          c.name,
        ).toEqual(Array.from({ length: sent }, (_, k) => k + 1));
        const messageIds = [...c.seen.values()].map((v) => v.split(':')[1]);
        expect(new Set(messageIds), c.name).toEqual(ackedIds);
      }
    }

    it('ends every client with the full history when connections drop at random', async () => {
      const url = await start(ctx().platform);
      const conversationId = await groupOfAll();
      const clients = await clientsFor(conversationId, () => url);
      const senders = clients.slice(0, 3);
      let sending = true;
      const chaos = (async () => {
        while (sending) {
          await sleep(5 + Math.random() * 40);
          must(clients[Math.floor(Math.random() * clients.length)]).drop();
        }
      })();
      await Promise.all(senders.map((s, i) => s.sendMany(80, `s${i}`)));
      sending = false;
      await chaos;
      await expectFullHistory(clients, conversationId, 240);
      // The chaos really happened: clients reconnected many times in the middle of the flow.
      expect(clients.reduce((n, c) => n + c.connects - 1, 0)).toBeGreaterThan(10);
      for (const c of clients) c.close();
    }, 120_000);

    it('ends every client with the full history across a server restart mid-flow', async () => {
      let url = await start(ctx().platform);
      const conversationId = await groupOfAll();
      const clients = await clientsFor(conversationId, () => url);
      const senders = clients.slice(0, 3);
      const [away1, away2, stayer] = clients.slice(3);
      let sending = true;
      const chaos = (async () => {
        while (sending) {
          await sleep(5 + Math.random() * 40);
          must(stayer).drop();
        }
      })();
      const sends = Promise.all(senders.map((s, i) => s.sendMany(80, `r${i}`)));
      const acked = () => senders.reduce((n, s) => n + s.acked.size, 0);
      // One client goes away before the restart and comes back after it; one leaves after it.
      while (acked() < 30) await sleep(5);
      must(away1).goAway();
      while (acked() < 60) await sleep(5);
      // Stop the server process under the traffic and start a new one on the same data.
      await must(apps.at(-1)).close();
      const reopened = await reopenPlatform(ctx().platform, ctx().config);
      platforms.push(reopened);
      url = await start(reopened);
      while (acked() < 120) await sleep(5);
      await must(away1).comeBack();
      must(away2).goAway();
      await sends;
      sending = false;
      await chaos;
      await must(away2).comeBack();
      await expectFullHistory(clients, conversationId, 240);
      for (const c of clients) expect(c.connects, c.name).toBeGreaterThanOrEqual(2);
      for (const c of clients) c.close();
    }, 120_000);
    // Throughput tests: the per-user event budget (a flood guard, tested with the rate limits) is off here.
  },
  { SOCKET_EVENTS_PER_SECOND: '0', RATE_LIMIT_PER_MINUTE: '0' },
);
