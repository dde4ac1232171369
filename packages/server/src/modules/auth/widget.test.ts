import { createHmac } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs, type OrgFixture } from '../../test/auth.js';

describeApp('widget visitor sessions', (ctx) => {
  let a: OrgFixture;
  let widgetKey: string;
  let secret: string;
  let adminToken: string;
  beforeAll(async () => {
    a = await createOrgWithUsers(ctx().platform, { slug: 'shop' });
    adminToken = (await loginAs(ctx().app, a.emails.admin)).accessToken;
    const settings = await ctx().app.inject({
      method: 'GET',
      url: '/api/v1/orgs/current/widget',
      headers: bearer(adminToken),
    });
    ({ widgetKey, identitySecret: secret } = settings.json());
  });
  const session = (payload: object) => ctx().app.inject({ method: 'POST', url: '/api/v1/widget/session', payload });
  const sign = (userId: string, key = secret) => createHmac('sha256', key).update(userId).digest('hex');

  it('starts an anonymous customer session and resumes it with the visitor id it returned', async () => {
    const first = await session({ widgetKey, displayName: 'Jo' });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.user).toMatchObject({ role: 'customer', kind: 'visitor', orgId: a.org.id, displayName: 'Jo' });
    expect(body.visitorId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    const me = await ctx().app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(body.accessToken) });
    expect(me.json()).toMatchObject({ user: { id: body.user.id }, session: { kind: 'visitor' } });
    const again = (await session({ widgetKey, visitorId: body.visitorId })).json();
    expect(again.user.id).toBe(body.user.id);
    expect(again.sessionId).not.toBe(body.sessionId);
  });

  it('never adopts a visitor id it did not issue: a guessed one gets a new visitor', async () => {
    const guessed = 'A'.repeat(32);
    const res = (await session({ widgetKey, visitorId: guessed })).json();
    expect(res.visitorId).not.toBe(guessed);
    const twice = (await session({ widgetKey, visitorId: guessed })).json();
    expect(twice.user.id).not.toBe(res.user.id);
  });

  it('binds a verified identity to one customer, every time, and refuses a bad signature', async () => {
    const one = await session({ widgetKey, identity: { userId: 'site-user-42', signature: sign('site-user-42') } });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ identityUserId: 'site-user-42', user: { kind: 'visitor', role: 'customer' } });
    expect(one.json().visitorId).toBeUndefined();
    const two = await session({
      widgetKey,
      identity: { userId: 'site-user-42', signature: sign('site-user-42').toUpperCase() },
    });
    expect(two.json().user.id).toBe(one.json().user.id);

    for (const signature of [sign('site-user-43'), sign('site-user-42', 'wrong secret'), '0'.repeat(64)]) {
      const bad = await session({ widgetKey, identity: { userId: 'site-user-42', signature } });
      expect(bad.statusCode).toBe(401);
      expect(bad.json().code).toBe('invalid_credentials');
    }
  });

  it('stops accepting old signatures once the secret is rotated', async () => {
    const old = sign('site-user-7');
    expect((await session({ widgetKey, identity: { userId: 'site-user-7', signature: old } })).statusCode).toBe(200);
    const rotated = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/orgs/current/widget/rotate-secret',
      headers: bearer(adminToken),
    });
    expect(rotated.json().widgetKey).toBe(widgetKey);
    secret = rotated.json().identitySecret;
    expect((await session({ widgetKey, identity: { userId: 'site-user-7', signature: old } })).statusCode).toBe(401);
    expect(
      (await session({ widgetKey, identity: { userId: 'site-user-7', signature: sign('site-user-7') } })).statusCode,
    ).toBe(200);
  });

  it('answers 404 for an unknown widget key and 429 past 30 new sessions a minute from one address', async () => {
    const unknown = await session({ widgetKey: 'wk_doesnotexist' });
    expect(unknown.statusCode).toBe(404);
    ctx().clock.advance(61_000);
    const from = (n: number) =>
      ctx()
        .app.inject({
          method: 'POST',
          url: '/api/v1/widget/session',
          payload: { widgetKey },
          remoteAddress: '10.3.3.3',
        })
        .then((r) => {
          expect(r.statusCode, `session ${n}`).toBe(200);
        });
    for (let i = 1; i <= 30; i++) await from(i);
    const over = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/widget/session',
      payload: { widgetKey },
      remoteAddress: '10.3.3.3',
    });
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
  });

  it('visitor sessions refresh like any other and cannot reach staff routes', async () => {
    const v = (await session({ widgetKey })).json();
    const r = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: v.refreshToken },
    });
    expect(r.statusCode).toBe(200);
    const users = await ctx().app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: bearer(r.json().accessToken),
    });
    expect(users.statusCode).toBe(403);
  });
});
