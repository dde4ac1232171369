import type { Socket as ClientSocket } from 'socket.io-client';
import { afterEach, beforeAll, expect, it } from 'vitest';
import {
  bearer,
  connectSocket,
  createOrgWithUsers,
  describeApp,
  listen,
  loginAs,
  type OrgFixture,
} from '../../test/auth.js';
import { sleep } from '../../test/waits.js';
import { sessionsRepo } from './sessions.repo.js';
import { sessionsService } from './sessions.service.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describeApp('sessions: idle timeout, absolute lifetime, token expiry, revocation of live sockets', (ctx) => {
  let a: OrgFixture;
  let url: string;
  const open: ClientSocket[] = [];
  beforeAll(async () => {
    a = await createOrgWithUsers(ctx().platform, { slug: 'sess' });
    url = await listen(ctx().app);
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });

  const refresh = (refreshToken: string) =>
    ctx().app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
  const me = (token: string) => ctx().app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });

  /** Resolves with the ms from now until the socket is disconnected, or rejects after `limit` ms. */
  const closedWithin = (socket: ClientSocket, limit: number) => {
    const started = Date.now();
    return new Promise<{ ms: number; ended?: unknown }>((resolve, reject) => {
      let ended: unknown;
      socket.once('session.ended', (e) => {
        ended = e;
      });
      const timer = setTimeout(() => reject(new Error(`socket still open after ${limit} ms`)), limit);
      socket.once('disconnect', () => {
        clearTimeout(timer);
        resolve({ ms: Date.now() - started, ended });
      });
    });
  };

  it('access tokens last 15 minutes at most', async () => {
    const s = await loginAs(ctx().app, a.emails.agent);
    expect(s.accessTokenExpiresAt - ctx().clock.now()).toBe(15 * MIN);
    ctx().clock.advance(15 * MIN + 10_000);
    const res = await me(s.accessToken);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('token_expired');
  });

  it('an hour without activity ends the session: the next refresh fails', async () => {
    const s = await loginAs(ctx().app, a.emails.agent);
    ctx().clock.advance(59 * MIN);
    const r1 = await refresh(s.refreshToken);
    expect(r1.statusCode).toBe(200);
    // Activity moved the idle deadline: another 59 minutes are fine, 60 are not.
    ctx().clock.advance(59 * MIN);
    const r2 = await refresh(r1.json().refreshToken);
    expect(r2.statusCode).toBe(200);
    ctx().clock.advance(HOUR);
    const r3 = await refresh(r2.json().refreshToken);
    expect(r3.statusCode).toBe(401);
    expect(r3.json()).toMatchObject({ code: 'session_revoked', detail: expect.stringMatching(/idle/) });
  });

  it('authenticated requests count as activity', async () => {
    const s = await loginAs(ctx().app, a.emails.agent);
    ctx().clock.advance(10 * MIN);
    expect((await me(s.accessToken)).statusCode).toBe(200);
    ctx().clock.advance(55 * MIN);
    expect((await refresh(s.refreshToken)).statusCode).toBe(200);
  });

  it('a session ends 7 days after sign-in however active (the default lifetime)', async () => {
    const s = await loginAs(ctx().app, a.emails.supervisor);
    expect(s.sessionExpiresAt - ctx().clock.now()).toBe(7 * 24 * HOUR);
    let token = s.refreshToken;
    let last: { accessTokenExpiresAt: number } = s;
    // Refresh every 50 minutes: never idle, yet the session ends at day 7.
    for (let elapsed = 50 * MIN; elapsed < 7 * 24 * HOUR; elapsed += 50 * MIN) {
      ctx().clock.advance(50 * MIN);
      const r = await refresh(token);
      expect(r.statusCode, `refresh at ${elapsed / HOUR} h`).toBe(200);
      token = r.json().refreshToken;
      last = r.json();
    }
    // Access tokens never outlive the session.
    expect(last.accessTokenExpiresAt).toBeLessThanOrEqual(s.sessionExpiresAt);
    ctx().clock.set(s.sessionExpiresAt);
    const end = await refresh(token);
    expect(end.statusCode).toBe(401);
    expect(end.json()).toMatchObject({ code: 'session_revoked', detail: expect.stringMatching(/lifetime/) });
  });

  it('closes a socket whose token expires unless it hands over a fresh one (auth.refresh)', async () => {
    const s = await loginAs(ctx().app, a.emails.agent);
    const socket = await connectSocket(url, s.accessToken);
    open.push(socket);
    ctx().clock.advance(14 * MIN);
    const fresh = (await refresh(s.refreshToken)).json();
    const ack = await socket.emitWithAck('auth.refresh', { accessToken: fresh.accessToken });
    expect(ack).toEqual({ ok: true, data: { expiresAt: fresh.accessTokenExpiresAt } });
    // Past the first token's expiry: still connected thanks to the fresh token.
    ctx().clock.advance(2 * MIN);
    await sleep(1500); // room for a wrong disconnect to happen
    expect(socket.connected).toBe(true);
    // A token of another session is refused.
    const other = await loginAs(ctx().app, a.emails.agent);
    const refused = await socket.emitWithAck('auth.refresh', { accessToken: other.accessToken });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const closed = closedWithin(socket, 5000);
    ctx().clock.advance(15 * MIN);
    expect((await closed).ended).toEqual({ code: 'token_expired' });
  });

  for (const [what, revoke] of [
    [
      'logout',
      async (token: string) => ctx().app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) }),
    ],
    [
      'a password change',
      async (token: string) =>
        ctx().app.inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: bearer(token),
          payload: { currentPassword: a.password, newPassword: a.password },
        }),
    ],
  ] as const) {
    it(`${what} disconnects the user's live sockets within 5 s`, async () => {
      const s = await loginAs(ctx().app, a.emails.agent);
      const socket = await connectSocket(url, s.accessToken);
      open.push(socket);
      const closed = closedWithin(socket, 5000);
      const res = await revoke(s.accessToken);
      expect(res.statusCode).toBeLessThan(300);
      expect((await closed).ended).toEqual({ code: 'session_revoked' });
      expect((await me(s.accessToken)).statusCode).toBe(401);
    });
  }

  it('refuses a common password or the own email as the new password, changing nothing', async () => {
    const s = await loginAs(ctx().app, a.emails.supervisor);
    for (const newPassword of ['password123', a.emails.supervisor]) {
      const res = await ctx().app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: bearer(s.accessToken),
        payload: { currentPassword: a.password, newPassword },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.newPassword' }] });
    }
    expect((await me(s.accessToken)).statusCode).toBe(200);
  });

  it('a role change and a deactivation disconnect every socket of the user within 5 s', async () => {
    const admin = await loginAs(ctx().app, a.emails.admin);
    const target = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin.accessToken),
      payload: { email: 'target@sess.test', password: a.password, role: 'agent' },
    });
    const targetId = target.json().id;
    const first = await loginAs(ctx().app, 'target@sess.test');
    const two = [
      await connectSocket(url, first.accessToken),
      await connectSocket(url, (await loginAs(ctx().app, 'target@sess.test')).accessToken),
    ];
    open.push(...two);
    const closed = two.map((s) => closedWithin(s, 5000));
    const patched = await ctx().app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${targetId}`,
      headers: bearer(admin.accessToken),
      payload: { role: 'supervisor' },
    });
    expect(patched.json().role).toBe('supervisor');
    for (const c of await Promise.all(closed)) expect(c.ended).toEqual({ code: 'session_revoked' });

    const again = await loginAs(ctx().app, 'target@sess.test');
    const socket = await connectSocket(url, again.accessToken);
    open.push(socket);
    const closedAgain = closedWithin(socket, 5000);
    const off = await ctx().app.inject({
      method: 'POST',
      url: `/api/v1/users/${targetId}/deactivate`,
      headers: bearer(admin.accessToken),
    });
    expect(off.json().active).toBe(false);
    await closedAgain;
    const login = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'target@sess.test', password: a.password },
    });
    expect(login.statusCode).toBe(403);
  });

  it('a session revoked by another process (CLI, another node) closes its socket within 5 s', async () => {
    const s = await loginAs(ctx().app, a.emails.customer);
    const socket = await connectSocket(url, s.accessToken);
    open.push(socket);
    const closed = closedWithin(socket, 5000);
    // Straight into the database: no in-process notice, only the watcher can see it.
    await sessionsRepo(ctx().platform.database).revoke(s.sessionId, ctx().clock.now(), 'admin');
    const { ended } = await closed;
    expect(ended).toEqual({ code: 'session_revoked' });
  });

  it('deletes sessions a day after they ended, and keeps live ones', async () => {
    const ended = await loginAs(ctx().app, a.emails.agent);
    const rotated = (await refresh(ended.refreshToken)).json();
    await ctx().app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(rotated.accessToken) });
    ctx().clock.advance(23 * HOUR);
    const live = await loginAs(ctx().app, a.emails.agent);
    await sessionsService(ctx().platform).purgeEnded();
    expect((await refresh(ended.refreshToken)).json().code).toBe('session_revoked');
    ctx().clock.advance(50 * MIN);
    const fresh = (await refresh(live.refreshToken)).json();
    ctx().clock.advance(50 * MIN);
    expect(await sessionsService(ctx().platform).purgeEnded()).toBeGreaterThanOrEqual(1);
    expect(await sessionsRepo(ctx().platform.database).findById(ended.sessionId)).toBeUndefined();
    expect((await refresh(ended.refreshToken)).json().code).toBe('token_invalid');
    expect((await refresh(fresh.refreshToken)).statusCode).toBe(200);
  });
});
