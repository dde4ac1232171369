import type { Ack, UserPresence } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { bearer, connectSocket, createOrgWithUsers, listen, type OrgFixture, sessionFor } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { sleep, until } from '../../test/waits.js';

const IDLE = 60_000;
const TIMEOUT = 20_000;
const GRACE = 2_000;

/** Bound on waiting for an event: it names what never came; not a measurement (CI machines are slow when loaded). */
const EVENT_WAIT_MS = 15_000;

/** The next `event` on `socket` that satisfies `pred`. */
function next<T = UserPresence>(socket: Socket, event: string, pred: (data: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${EVENT_WAIT_MS / 1000} s`)), EVENT_WAIT_MS);
    const on = (data: T) => {
      if (!pred(data)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(data);
    };
    socket.on(event, on);
  });
}

/** Emit with an ack and wait for it; also a barrier: every packet the server sent this socket before has arrived. */
function call<T>(socket: Socket, event: string, payload?: unknown): Promise<Ack<T>> {
  return new Promise((resolve) =>
    payload === undefined ? socket.emit(event, resolve) : socket.emit(event, payload, resolve),
  );
}

describe('presence over Socket.IO and REST', () => {
  let app: FastifyInstance;
  let url: string;
  let a: OrgFixture;
  let b: OrgFixture;
  let now = Date.now();
  const tokens: Record<string, string> = {};
  const sockets: Socket[] = [];
  const open = async (who: string) => {
    const s = await connectSocket(url, tokens[who]);
    sockets.push(s);
    return s;
  };
  const rest = async (who: string, method: 'GET' | 'POST', path: string, payload?: object) => {
    const res = await app.inject({
      method,
      url: `/api/v1/online-status${path}`,
      headers: bearer(tokens[who] ?? ''),
      payload,
    });
    return { status: res.statusCode, body: res.json() };
  };
  const sweepAfter = async (ms: number) => {
    now += ms;
    await app.services.presence.sweep();
  };

  beforeAll(async () => {
    app = await buildApp(
      testConfig({
        PRESENCE_IDLE_MS: String(IDLE),
        PRESENCE_HEARTBEAT_TIMEOUT_MS: String(TIMEOUT),
        PRESENCE_OFFLINE_GRACE_MS: String(GRACE),
      }),
      { clock: { now: () => now } },
    );
    url = await listen(app);
    a = await createOrgWithUsers(app.platform);
    b = await createOrgWithUsers(app.platform);
    for (const [key, user] of [
      ['agent', a.users.agent],
      ['supervisor', a.users.supervisor],
      ['admin', a.users.admin],
      ['customer', a.users.customer],
      ['agentB', b.users.agent],
    ] as const) {
      tokens[key] = (await sessionFor(app.platform, user)).accessToken;
    }
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    // Everyone who was connected goes offline, so each test starts from an empty org.
    await sleep(50); // let the closes reach the server before the sweep
    await sweepAfter(TIMEOUT + GRACE);
    // A chosen away / busy is kept in the database: clear it so a failed test cannot leak it into the next.
    for (const u of [...Object.values(a.users), ...Object.values(b.users)]) {
      const actor = { userId: u.id, orgId: u.orgId, role: u.role, sessionId: 'cleanup', kind: 'user' as const };
      await app.services.presence.setStatus(actor, 'online');
    }
  });
  afterAll(() => app.close());

  it("runs the seed document's React hook unchanged (online:users, user:status, status:update)", async () => {
    const sup = await open('supervisor');
    const token = tokens.agent;

    // --- the hook's body from the source document, with useState/useEffect reduced to plain variables ---
    // The seed is untyped JavaScript: its user objects are whatever the server sends.
    let onlineUsers: Record<string, unknown>[] = [];
    const setOnlineUsers = (v: typeof onlineUsers | ((prev: typeof onlineUsers) => typeof onlineUsers)) => {
      onlineUsers = typeof v === 'function' ? v(onlineUsers) : v;
    };
    let socket: Socket | null = null;
    const setSocket = (s: Socket) => {
      socket = s;
    };
    const newSocket = io(url, {
      auth: { token },
    });
    const connected = next<{ userId: string }>(newSocket, 'connected');
    // Listening from the start: the list may come right behind `connected`.
    const firstList = next<{ users: UserPresence[] }>(newSocket, 'online:users');
    newSocket.on('connected', (data) => {
      console.log('Connected:', data);
    });
    newSocket.on('online:users', (data) => {
      setOnlineUsers(data.users);
    });
    newSocket.on('user:status', (data) => {
      setOnlineUsers((prev) => {
        const index = prev.findIndex((u) => u.userId === data.userId);
        if (index >= 0) {
          const updated = [...prev];
          updated[index] = { ...updated[index], status: data.status };
          return updated;
        }
        return prev;
      });
    });
    setSocket(newSocket);
    const updateStatus = (status: string) => {
      (socket as Socket | null)?.emit('status:update', { status });
    };
    // --- end of the hook ---
    sockets.push(newSocket);

    expect((await connected).userId).toBe(a.users.agent.id);
    const initial = await firstList;
    expect(initial.users.map((u) => u.userId).sort()).toEqual([a.users.agent.id, a.users.supervisor.id].sort());
    expect(onlineUsers.every((u) => u.status === 'online')).toBe(true);

    const busy = next(newSocket, 'user:status', (d) => d.userId === a.users.supervisor.id && d.status === 'busy');
    await call(sup, 'status:update', { status: 'busy' });
    await busy;
    expect(onlineUsers.find((u) => u.userId === a.users.supervisor.id)?.status).toBe('busy');

    const heard = next(sup, 'user:status', (d) => d.userId === a.users.agent.id && d.status === 'away');
    updateStatus('away');
    expect(await heard).toMatchObject({ username: a.users.agent.displayName, status: 'away', timestamp: now });
    expect((await rest('supervisor', 'GET', `/${a.users.agent.id}`)).body.status).toBe('away');
    await call(sup, 'status:update', { status: 'online' });
    updateStatus('online');
  });

  it("serves the document's /api/online-status aliases with its response shapes", async () => {
    const sup = await open('supervisor');
    await call(sup, 'status:update', { status: 'busy' });
    const get = async (who: string, method: 'GET' | 'POST', path: string, payload?: object) => {
      const res = await app.inject({
        method,
        url: `/api/online-status${path}`,
        headers: bearer(tokens[who] ?? ''),
        payload,
      });
      return { status: res.statusCode, body: res.json() };
    };
    const list = await get('agent', 'GET', '');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ success: true, count: list.body.users.length });
    expect(list.body.users).toContainEqual({
      userId: a.users.supervisor.id,
      username: a.users.supervisor.displayName,
      status: 'busy',
      avatar: null,
      lastSeen: expect.any(Number),
    });
    const one = await get('agent', 'GET', `/${a.users.supervisor.id}`);
    expect(one.body).toMatchObject({
      success: true,
      online: true,
      userId: a.users.supervisor.id,
      status: 'busy',
      avatar: null,
    });
    const stats = await get('supervisor', 'GET', '/stats/summary');
    expect(stats.body.success).toBe(true);
    expect(stats.body.stats).toEqual((await rest('supervisor', 'GET', '/stats/summary')).body);
    expect(stats.body.stats.byStatus.busy).toBeGreaterThanOrEqual(1);
    expect((await get('customer', 'GET', '/stats/summary')).status).toBe(403);
    const beat = await get('agent', 'POST', '/heartbeat', {});
    expect(beat.body).toMatchObject({ success: true, status: expect.any(String), nextHeartbeatMs: expect.any(Number) });
    expect((await get('agentB', 'GET', `/${a.users.supervisor.id}`)).status).toBe(404);
    await call(sup, 'status:update', { status: 'online' });
  });

  it('keeps two devices online until both close, then announces offline after the grace', async () => {
    const sup = await open('supervisor');
    const laptop = await open('agent');
    const phone = await open('agent');
    await call(phone, 'heartbeat');
    laptop.close();
    await call(sup, 'heartbeat');
    await sweepAfter(GRACE + 1000);
    expect((await rest('supervisor', 'GET', `/${a.users.agent.id}`)).body.status).toBe('online');
    phone.close();
    await sleep(50); // room for a wrong "offline" to arrive: the laptop is still connected
    expect((await rest('supervisor', 'GET', `/${a.users.agent.id}`)).body.status).toBe('online');
    const offline = next(sup, 'user:status', (d) => d.userId === a.users.agent.id && d.status === 'offline');
    await sweepAfter(GRACE);
    expect((await offline).lastSeen).toBeTypeOf('number');
    expect((await rest('supervisor', 'GET', `/${a.users.agent.id}`)).body.status).toBe('offline');
  });

  it("sends status changes to the org's members and never to another org", async () => {
    const agentB = await open('agentB');
    const heardByB: UserPresence[] = [];
    agentB.on('user:status', (d) => heardByB.push(d));
    const customer = await open('customer');
    const heardByCustomer: UserPresence[] = [];
    customer.on('user:status', (d) => heardByCustomer.push(d));
    const sup = await open('supervisor');

    const agentSeen = next(sup, 'user:status', (d) => d.userId === a.users.agent.id);
    const agentSeenByCustomer = next(customer, 'user:status', (d) => d.userId === a.users.agent.id);
    await open('agent');
    await agentSeen;
    await agentSeenByCustomer;

    const adminSeen = next(sup, 'user:status', (d) => d.userId === a.users.admin.id);
    const admin = await open('admin');
    await adminSeen;
    const customerSeen = next(admin, 'user:status', (d) => d.userId === a.users.customer.id && d.status === 'busy');
    await call(customer, 'status:update', { status: 'busy' });
    await customerSeen;

    await call(agentB, 'heartbeat');
    await call(customer, 'heartbeat');
    const orgAIds = Object.values(a.users).map((u) => u.id);
    expect(heardByB.filter((d) => orgAIds.includes(d.userId))).toEqual([]);
    // A customer hears agents, never supervisors, admins or other customers.
    expect(new Set(heardByCustomer.map((d) => d.userId))).toEqual(new Set([a.users.agent.id]));
    const list = await call<{ users: UserPresence[] }>(customer, 'online:list');
    expect(list.ok && list.data.users.map((u) => u.userId).sort()).toEqual(
      [a.users.agent.id, a.users.customer.id].sort(),
    );
    await call(customer, 'status:update', { status: 'online' });
  });

  it('answers the same over REST and the socket', async () => {
    const sup = await open('supervisor');
    const agent = await open('agent');
    await call(agent, 'status:update', { status: 'busy' });

    const query = await call<UserPresence>(sup, 'status:query', { targetUserId: a.users.agent.id });
    const viaRest = await rest('supervisor', 'GET', `/${a.users.agent.id}`);
    expect(viaRest.status).toBe(200);
    expect(query).toEqual({ ok: true, data: viaRest.body });
    expect(viaRest.body).toMatchObject({ status: 'busy', username: a.users.agent.displayName });

    const listed = await call<{ users: UserPresence[] }>(sup, 'online:list');
    const page = await rest('supervisor', 'GET', '');
    expect(listed).toEqual({ ok: true, data: { users: page.body.items } });
    expect((await rest('supervisor', 'GET', '?limit=1')).body.nextCursor).toBe(page.body.items[0].userId);
    expect((await rest('supervisor', 'GET', '/stats/summary')).body).toEqual({
      total: 2,
      byStatus: { online: 1, away: 0, busy: 1 },
    });
    expect((await rest('customer', 'GET', '/stats/summary')).status).toBe(403);

    const notFound = await call(sup, 'status:query', { targetUserId: b.users.agent.id });
    expect(notFound).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await rest('supervisor', 'GET', `/${b.users.agent.id}`)).status).toBe(404);
    expect(await call(agent, 'status:update', { status: 'invisible' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    await call(agent, 'status:update', { status: 'online' });
  });

  it('acknowledges heartbeats on both transports and expires an HTTP device that stops', async () => {
    const agent = await open('agent');
    const event = next<{ status: string }>(agent, 'heartbeat:ack');
    const ack = await call(agent, 'heartbeat', { active: true });
    expect(ack).toEqual({ ok: true, data: { status: 'online', serverTime: now, nextHeartbeatMs: TIMEOUT / 2 } });
    expect(await event).toEqual(ack.ok && ack.data);

    const beat = await rest('admin', 'POST', '/heartbeat', {});
    expect(beat).toEqual({ status: 200, body: { status: 'online', serverTime: now, nextHeartbeatMs: TIMEOUT / 2 } });
    expect((await rest('supervisor', 'GET', `/${a.users.admin.id}`)).body.status).toBe('online');
    const heard = next(agent, 'user:status', (d) => d.userId === a.users.admin.id && d.status === 'offline');
    await sweepAfter(TIMEOUT + 1);
    await heard;
    expect((await rest('supervisor', 'GET', `/${a.users.admin.id}`)).body.status).toBe('offline');
    expect((await rest('supervisor', 'GET', '')).status).toBe(200);
    expect((await rest('supervisor', 'GET', '?cursor=bad')).body.code).toBe('invalid_cursor');
  });

  it('turns an idle socket user away and back online when they act', async () => {
    const sup = await open('supervisor');
    const agent = await open('agent');
    const away = next(sup, 'user:status', (d) => d.userId === a.users.agent.id && d.status === 'away');
    // Heartbeats keep both devices alive; only the supervisor acts.
    for (let t = 0; t < IDLE; t += TIMEOUT / 2) {
      await call(agent, 'heartbeat');
      await call(sup, 'heartbeat', { active: true });
      await sweepAfter(TIMEOUT / 2);
    }
    await away;
    expect((await rest('supervisor', 'GET', `/${a.users.agent.id}`)).body.status).toBe('away');
    expect((await rest('supervisor', 'GET', `/${a.users.supervisor.id}`)).body.status).toBe('online');
    const back = next(sup, 'user:status', (d) => d.userId === a.users.agent.id && d.status === 'online');
    await call(agent, 'heartbeat', { active: true });
    await back;
  });

  it("records a device's activity once per resolution, not for every event", async () => {
    const agent = await open('agent');
    const lastActivity = async () =>
      (await app.platform.presence.get(a.org.id, a.users.agent.id))?.connections[0]?.lastActivity;
    // Any event counts as activity (a refused one too); a heartbeat after it is a barrier: the socket's
    // presence work runs in order.
    const act = async () => {
      await call(agent, 'message.typing', { conversationId: crypto.randomUUID(), typing: true });
      await call(agent, 'heartbeat');
    };
    const resolution = app.services.presence.activityResolutionMs;
    expect(resolution).toBeGreaterThan(0);
    now += 1;
    const first = now;
    await act();
    expect(await lastActivity()).toBe(first);
    now += resolution - 1;
    await act();
    expect(await lastActivity()).toBe(first);
    now += 1;
    await act();
    expect(await lastActivity()).toBe(now);
  });

  it('refuses the routes without a token', async () => {
    for (const path of ['', `/${a.users.agent.id}`, '/stats/summary']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/online-status${path}` });
      expect(res.statusCode).toBe(401);
    }
    expect((await app.inject({ method: 'POST', url: '/api/v1/online-status/heartbeat', payload: {} })).statusCode).toBe(
      401,
    );
  });
});

describe('presence cleanup loop and restart', () => {
  it('expires a silent device on its own, and lastSeen survives a restart', async () => {
    const config = testConfig({ PRESENCE_HEARTBEAT_TIMEOUT_MS: '1000', PRESENCE_OFFLINE_GRACE_MS: '0' });
    let app = await buildApp(config);
    await app.ready();
    const org = await createOrgWithUsers(app.platform);
    const agent = (await sessionFor(app.platform, org.users.agent)).accessToken;
    const admin = (await sessionFor(app.platform, org.users.admin)).accessToken;
    const get = () =>
      app.inject({ url: `/api/v1/online-status/${org.users.agent.id}`, headers: bearer(admin) }).then((r) => r.json());

    const beat = await app.inject({ method: 'POST', url: '/api/v1/online-status/heartbeat', headers: bearer(agent) });
    expect(beat.json()).toMatchObject({ status: 'online' });
    await until('the agent to go offline', async () => (await get()).status === 'offline', 5_000, 100);
    const seen = await get();
    expect(seen).toMatchObject({ status: 'offline', lastSeen: beat.json().serverTime });

    await app.close();
    app = await buildApp(config);
    expect(await get()).toEqual(seen);
    await app.close();
  });
});
