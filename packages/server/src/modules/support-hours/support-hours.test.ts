import { beforeAll, expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs, type OrgFixture } from '../../test/auth.js';

describeApp('business hours, pre-chat form and visitor identity', (ctx) => {
  let a: OrgFixture;
  let admin: string;
  let agent: string;
  let widgetKey: string;
  const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, token?: string, payload?: object) =>
    ctx().app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) });
  const visitor = async () => (await call('POST', '/api/v1/widget/session', undefined, { widgetKey })).json();
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' }));

  beforeAll(async () => {
    a = await createOrgWithUsers(ctx().platform);
    admin = (await loginAs(ctx().app, a.emails.admin)).accessToken;
    agent = (await loginAs(ctx().app, a.emails.agent)).accessToken;
    widgetKey = (await call('GET', '/api/v1/orgs/current/widget', admin)).json().widgetKey;
    expect((await call('PATCH', '/api/v1/ai/settings', admin, { enabled: false })).statusCode).toBe(200);
  });

  it('gives each anonymous visitor a distinct, stable generated name', async () => {
    const one = await visitor();
    const two = await visitor();
    expect(one.user.displayName).toMatch(/^Visitor \d{4}$/);
    expect(two.user.displayName).toMatch(/^Visitor \d{4}$/);
    expect(one.user.displayName).not.toBe(two.user.displayName);
    const again = (
      await call('POST', '/api/v1/widget/session', undefined, { widgetKey, visitorId: one.visitorId })
    ).json();
    expect(again.user.displayName).toBe(one.user.displayName);
  });

  it('is always open with the defaults; admins set hours, the widget reads when the team opens next', async () => {
    const v = await visitor();
    const open = await call('GET', '/api/v1/support/hours', v.accessToken);
    expect(open.statusCode).toBe(200);
    expect(open.json()).toMatchObject({ open: true, nextOpenAt: null, prechatName: false, prechatEmail: false });

    const settings = {
      timezone: 'Europe/Berlin',
      hoursEnabled: true,
      hours: weekdays,
      awayMessage: 'Back soon',
      prechatName: true,
      prechatEmail: true,
    };
    const saved = await call('PUT', '/api/v1/support/hours/settings', admin, settings);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual(settings);
    expect((await call('GET', '/api/v1/support/hours/settings', admin)).json()).toEqual(settings);

    // The test clock stands at Tuesday 2030-01-01 00:00 UTC = 01:00 in Berlin: closed until 09:00 Berlin.
    expect(ctx().clock.now()).toBe(Date.UTC(2030, 0, 1));
    const away = (await call('GET', '/api/v1/support/hours', v.accessToken)).json();
    expect(away).toEqual({
      open: false,
      nextOpenAt: Date.UTC(2030, 0, 1, 8, 0),
      timezone: 'Europe/Berlin',
      awayMessage: 'Back soon',
      prechatName: true,
      prechatEmail: true,
    });
    // A night shift that covers Tuesday 01:00 in Berlin: open now.
    const nights = { ...settings, hours: [{ day: 1, open: '22:00', close: '02:00' }] };
    expect((await call('PUT', '/api/v1/support/hours/settings', admin, nights)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/support/hours', v.accessToken)).json()).toMatchObject({ open: true });
    expect((await call('PUT', '/api/v1/support/hours/settings', admin, settings)).statusCode).toBe(200);
  });

  it('refuses bad settings and keeps them from everyone but admins', async () => {
    const bad = await call('PUT', '/api/v1/support/hours/settings', admin, {
      timezone: 'Mars/Olympus',
      hoursEnabled: true,
      hours: [{ day: 7, open: '25:00', close: '17:00' }],
      awayMessage: '',
      prechatName: false,
      prechatEmail: false,
    });
    expect(bad.statusCode).toBe(400);
    expect((await call('GET', '/api/v1/support/hours/settings', agent)).statusCode).toBe(403);
    const v = await visitor();
    expect((await call('GET', '/api/v1/support/hours/settings', v.accessToken)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/support/hours')).statusCode).toBe(401);
  });

  it('shows staff the name and email a visitor gave; a bad email is refused', async () => {
    const v = await visitor();
    const bad = await call('PUT', '/api/v1/support/contact', v.accessToken, { email: 'not-an-email' });
    expect(bad.statusCode).toBe(400);
    const ok = await call('PUT', '/api/v1/support/contact', v.accessToken, {
      displayName: 'Ada',
      email: 'Ada@Example.com',
    });
    expect(ok.json()).toEqual({ displayName: 'Ada', email: 'ada@example.com' });
    expect((await call('PUT', '/api/v1/support/contact', agent, { displayName: 'x' })).statusCode).toBe(403);

    const c = (await call('POST', '/api/v1/conversations', v.accessToken, { kind: 'support' })).json().conversation;
    await call('POST', `/api/v1/conversations/${c.id}/messages`, v.accessToken, {
      clientMsgId: crypto.randomUUID(),
      text: 'hello',
    });
    const inbox = (await call('GET', '/api/v1/support', agent)).json();
    const row = inbox.items.find((i: { conversation: { id: string } }) => i.conversation.id === c.id);
    expect(row.customer).toEqual({ id: v.user.id, displayName: 'Ada', kind: 'visitor', email: 'ada@example.com' });
  });
});
