import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../app.js';
import { connectSocket, createOrgWithUsers, listen, sessionFor } from '../test/auth.js';
import { testConfig } from '../test/config.js';
import { redisForTests } from '../test/redis.js';
import { onEvent } from './ack.js';

type Ack = { ok: boolean; error?: { code: string; details?: { retryAfterMs: number } } };

describe('socket event rate limit', () => {
  let app: FastifyInstance;
  let flooder: Socket;
  let other: Socket;

  beforeAll(async () => {
    app = await buildApp(testConfig({ SOCKET_EVENTS_PER_SECOND: '50', SOCKET_EVENTS_BURST: '100' }));
    onEvent(app.io, 'test.echo', z.object({ n: z.number() }), (_socket, x) => x, app.log);
    const url = await listen(app);
    const fx = await createOrgWithUsers(app.platform);
    flooder = await connectSocket(url, (await sessionFor(app.platform, fx.users.agent)).accessToken);
    other = await connectSocket(url, (await sessionFor(app.platform, fx.users.supervisor)).accessToken);
  });
  afterAll(async () => {
    flooder?.close();
    other?.close();
    await app.close();
  });

  it('throttles a 1,000 events/s flood with rate_limited acks while another user is served in full', async () => {
    const flood: Promise<Ack>[] = [];
    const calm: Promise<Ack>[] = [];
    const started = Date.now();
    // 2 s at 1,000 events/s from one client (100 every 100 ms), and 10 events/s from another.
    for (let tick = 0; tick < 20; tick++) {
      for (let i = 0; i < 100; i++) flood.push(flooder.emitWithAck('test.echo', { n: tick * 100 + i }));
      calm.push(other.emitWithAck('test.echo', { n: tick }));
      await new Promise((r) => setTimeout(r, 100));
    }
    const floodAcks = await Promise.all(flood);
    const calmAcks = await Promise.all(calm);
    const elapsedS = (Date.now() - started) / 1000;

    const accepted = floodAcks.filter((a) => a.ok).length;
    const limited = floodAcks.filter((a) => a.error?.code === 'rate_limited');
    expect(accepted + limited.length).toBe(2000);
    // The burst plus the sustained rate over the elapsed time, never more.
    expect(accepted).toBeLessThanOrEqual(100 + Math.ceil(50 * elapsedS) + 1);
    expect(accepted).toBeGreaterThanOrEqual(100);
    expect(limited[0]?.error?.details?.retryAfterMs).toBeGreaterThan(0);
    expect(calmAcks.every((a) => a.ok)).toBe(true);
    // The socket stays usable once the flood stops.
    await new Promise((r) => setTimeout(r, 100));
    expect(await flooder.emitWithAck('test.echo', { n: -1 })).toEqual({ ok: true, data: { n: -1 } });

    const metrics = await app.platform.metrics.registry.getSingleMetricAsString('messenger_errors_total');
    expect(metrics).toContain(`messenger_errors_total{code="rate_limited"} ${limited.length}`);
  });

  it('charges presence events (online:list, status:query, heartbeat) to the same budget', async () => {
    const fx = await createOrgWithUsers(app.platform);
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const socket = await connectSocket(url, (await sessionFor(app.platform, fx.users.admin)).accessToken);
    try {
      const burst: Promise<Ack>[] = [];
      for (let i = 0; i < 100; i++) {
        burst.push(socket.emitWithAck('online:list', {}));
        burst.push(socket.emitWithAck('status:query', { targetUserId: fx.users.agent.id }));
        burst.push(socket.emitWithAck('heartbeat', {}));
      }
      const acks = await Promise.all(burst);
      const limited = acks.filter((a) => a.error?.code === 'rate_limited').length;
      // 300 events at once against a burst of 100: most are refused, and no more than the burst is served.
      expect(acks.filter((a) => a.ok).length).toBeLessThanOrEqual(100 + 50);
      expect(limited).toBeGreaterThanOrEqual(150);
      expect(acks.every((a) => a.ok || a.error?.code === 'rate_limited')).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('answers an event nobody handles with unknown_event at once', async () => {
    const ack = (await other.timeout(5_000).emitWithAck('no.such.event', { x: 1 })) as Ack & {
      error?: { message: string };
    };
    expect(ack).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
    // A known event on the same socket still works.
    expect(await other.emitWithAck('test.echo', { n: 7 })).toEqual({ ok: true, data: { n: 7 } });
  });
});

const redis = redisForTests();
if (redis) {
  describe('socket event rate limit across nodes (Redis)', () => {
    const apps: FastifyInstance[] = [];
    const sockets: Socket[] = [];

    beforeAll(async () => {
      // Two nodes on one database and one Redis; one user with a socket on each.
      const first = testConfig();
      const env = {
        DATA_DIR: first.dataDir,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `sbtest:${randomBytes(4).toString('hex')}:`,
        SOCKET_EVENTS_PER_SECOND: '50',
        SOCKET_EVENTS_BURST: '100',
      };
      for (let i = 0; i < 2; i++) apps.push(await buildApp(testConfig(env)));
      const fx = await createOrgWithUsers((apps[0] as FastifyInstance).platform);
      for (const app of apps) {
        onEvent(app.io, 'test.echo', z.object({ n: z.number() }), (_socket, x) => x, app.log);
        const token = (await sessionFor(app.platform, fx.users.agent)).accessToken;
        sockets.push(await connectSocket(await listen(app), token));
      }
    });
    afterAll(async () => {
      for (const s of sockets) s.close();
      for (const app of apps) await app.close();
    });

    it('gives a user with sockets on two nodes one budget, not one per node', async () => {
      const acks: Promise<Ack>[] = [];
      const started = Date.now();
      // 1 s at 500 events/s on each node.
      for (let tick = 0; tick < 10; tick++) {
        for (const s of sockets) for (let i = 0; i < 50; i++) acks.push(s.emitWithAck('test.echo', { n: i }));
        await new Promise((r) => setTimeout(r, 100));
      }
      const all = await Promise.all(acks);
      const elapsedS = (Date.now() - started) / 1000;
      const accepted = all.filter((a) => a.ok).length;
      expect(accepted + all.filter((a) => a.error?.code === 'rate_limited').length).toBe(1000);
      // One burst plus one sustained rate for both nodes together (two per-node budgets would allow ~300).
      expect(accepted).toBeGreaterThanOrEqual(100);
      expect(accepted).toBeLessThanOrEqual(100 + Math.ceil(50 * elapsedS) + 1);
    });
  });
}
