import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFor } from '../../server/src/test/auth.js';
import { storageTargets } from '../../server/src/test/storage.js';
import { type AuthProvider, sessionAuth } from './auth.js';
import type { ClientEvent } from './options.js';
import { ours, sleep, until, World } from './test/world.js';

const target = storageTargets[0];
if (!target) throw new Error('no storage target');

describe('sdk features against the real server', () => {
  let world: World;
  beforeAll(async () => {
    world = await World.start(target);
  });
  afterAll(async () => world?.close());
  const members = () =>
    world.members as [(typeof world.members)[0], (typeof world.members)[0], (typeof world.members)[0]];

  it('refreshes the token before expiry and hands it to the live socket without reconnecting', async () => {
    const [admin] = members();
    const tokens = await sessionFor(world.platform, admin);
    const inner = sessionAuth(tokens);
    let refreshes = 0;
    // Claim the token expires in 2 s, so the client refreshes (for real) after about 1 s.
    let fakeExpiry = Date.now() + 2_000;
    const auth: AuthProvider = {
      bind: (c) => inner.bind?.(c),
      getAccessToken: () => inner.getAccessToken(),
      expiresAt: () => fakeExpiry,
      async refresh() {
        refreshes++;
        const t = await inner.refresh();
        fakeExpiry = Date.now() + 60_000;
        return t;
      },
    };
    const c = await world.client(admin, { auth, direct: true, timing: { refreshMarginMs: 60_000 } });
    await until('connected', () => c.client.state === 'websocket');
    const socketId = c.client.internals.connection.socket.id;
    const before = [...world.app.io.of('/').sockets.values()].find((s) => s.id === socketId)?.data.tokenExpiresAt;
    await until('refreshed', () => refreshes === 1, 5_000);
    const serverSocket = () => [...world.app.io.of('/').sockets.values()].find((s) => s.id === socketId);
    expect(before).toBeGreaterThan(0);
    await until('socket got the new token', () => (serverSocket()?.data.tokenExpiresAt ?? 0) > (before ?? 0), 5_000);
    expect(c.client.internals.connection.socket.id).toBe(socketId);
    expect(c.client.telemetry.totals.reconnect_attempt).toBe(0);
  });

  it('connects with an expired token by refreshing it first', async () => {
    const [, agent] = members();
    const tokens = await sessionFor(world.platform, agent);
    const stale = { ...tokens, accessToken: `${tokens.accessToken.slice(0, -4)}AAAA` };
    const c = await world.client(agent, { auth: sessionAuth(stale), direct: true });
    await until('connected', () => c.client.state === 'websocket', 10_000);
    expect(c.authExpired).toBe(0);
  });

  it('emits auth.expired exactly once when the session is revoked and refresh fails', async () => {
    const [, , supervisor] = members();
    const tokens = await sessionFor(world.platform, supervisor);
    const c = await world.client(supervisor, { auth: sessionAuth(tokens), direct: true });
    await until('connected', () => c.client.state === 'websocket');
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(res.statusCode).toBe(204);
    await until('expired', () => c.authExpired > 0, 5_000);
    // More calls that need a token: each fails, none emits again.
    await c.client.sync().catch(() => {});
    await c.client.api.me().catch(() => {});
    await sleep(300);
    expect(c.authExpired).toBe(1);
  });

  it('makes a double submit one message, offers retry and discard for a refused one', async () => {
    const [admin] = members();
    const c = await world.client(admin, { direct: true });
    await until('connected', () => c.client.state === 'websocket');
    const cid = world.conversationId;
    const first = c.client.send(cid, 'double-click');
    const bounce = c.client.send(cid, 'double-click');
    const clientMsgId = randomUUID();
    const a = c.client.send(cid, 'double-id', { clientMsgId });
    const b = c.client.send(cid, 'double-id again', { clientMsgId });
    expect(bounce.clientMsgId).toBe(first.clientMsgId);
    expect(b.clientMsgId).toBe(a.clientMsgId);
    await until('sent', () => c.client.pending(cid).length === 0);
    const stored = (await world.serverMessages()).filter((m) => m.text?.startsWith('double-'));
    expect(stored.map((m) => m.text)).toEqual(['double-click', 'double-id']);

    // A conversation the server refuses: failed with its reason, retry fails again, discard removes it.
    const nowhere = randomUUID();
    const refused = c.client.send(nowhere, 'to nowhere');
    await until('failed', () => c.client.messages(nowhere)[0]?.state === 'failed');
    expect(c.client.messages(nowhere)[0]?.failReason).toMatch(/not_found|forbidden/);
    expect(c.client.retry(refused.clientMsgId)?.state).toBe('sending');
    await until('failed again', () => c.client.messages(nowhere)[0]?.state === 'failed');
    expect(c.client.discard(refused.clientMsgId)).toBe(true);
    expect(c.client.messages(nowhere)).toEqual([]);
    expect(c.client.pending()).toEqual([]);
  });

  it('applies edits and deletes, marks read, relays typing, and never doubles a named subscription', async () => {
    const [admin, agent] = members();
    const a = await world.client(admin, { direct: true });
    const b = await world.client(agent, { direct: true });
    await until('connected', () => a.client.state === 'websocket' && b.client.state === 'websocket');
    await b.client.sync();
    const cid = world.conversationId;
    const seen: ClientEvent[] = [];
    b.client.subscribe('view', (e) => seen.push(e));
    b.client.subscribe('view', (e) => seen.push(e)); // a re-render subscribing again
    const typing: boolean[] = [];
    b.client.subscribe('typing', (e) => {
      if (e.type === 'typing') typing.push(e.event.typing);
    });

    a.client.typing.keystroke(cid);
    a.client.typing.keystroke(cid);
    await until('typing relayed', () => typing.includes(true));
    a.client.typing.stop(cid);
    await until('typing stop relayed', () => typing.at(-1) === false);
    expect(typing).toEqual([true, false]);

    a.client.send(cid, 'feat-edit-me');
    await until('delivered', () => ours(b, cid, 'feat-').length === 1);
    const addedEvents = seen.filter(
      (e) => e.type === 'message' && e.change === 'added' && e.message.text?.startsWith('feat-'),
    );
    expect(addedEvents).toHaveLength(1);
    const id = ours(b, cid, 'feat-')[0]?.id as string;
    await a.client.edit(id, 'feat-edited');
    await until('edit applied', () => ours(b, cid, 'feat-')[0]?.text === 'feat-edited');
    await b.client.markRead(cid);
    await until('read', () => ours(a, cid, 'feat-')[0]?.state === 'read');
    await a.client.delete(id);
    await until('delete applied', () => b.client.messages(cid).find((m) => m.id === id)?.deletedAt !== null);
    expect(b.client.messages(cid).find((m) => m.id === id)?.text).toBeNull();
  });

  it('reports its counters to POST /api/v1/telemetry, where they become Prometheus series', async () => {
    const [admin] = members();
    const c = await world.client(admin, { direct: true });
    await until('connected', () => c.client.state === 'websocket');
    c.client.send(world.conversationId, 'tele-1');
    await until('sent', () => c.client.pending().length === 0);
    await c.client.telemetry.flush();
    const metrics = await world.platform.metrics.registry.getSingleMetricAsString('client_telemetry_events_total');
    expect(metrics).toMatch(/client_telemetry_events_total\{event="send_success"\} [1-9]/);
  });

  it('ignores payloads without an id with a warning', async () => {
    const [admin] = members();
    const c = await world.client(admin, { direct: true });
    await until('connected', () => c.client.state === 'websocket');
    c.client.internals.receiver.event({ type: 'message.deleted', seq: 1 });
    c.client.internals.receiver.event({ conversationId: world.conversationId, type: 'message.updated', seq: 99_999 });
    expect(c.warnings.length).toBeGreaterThanOrEqual(2);
  });
});
