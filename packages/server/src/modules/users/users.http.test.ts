import { SERVICE_ACCOUNT_DOMAIN } from '@switchboard/protocol';
import { beforeAll, expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, insertTestUser, loginAs, type OrgFixture } from '../../test/auth.js';

describeApp('users and org API', (ctx) => {
  let a: OrgFixture;
  let admin: string;
  beforeAll(async () => {
    a = await createOrgWithUsers(ctx().platform, { slug: 'people' });
    admin = (await loginAs(ctx().app, a.emails.admin)).accessToken;
  });
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, token = admin) =>
    ctx().app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

  it('invites a user who sets a password with the one-time token and signs in', async () => {
    const inv = await call('POST', '/api/v1/users/invite', { email: 'New.Hire@People.test', role: 'agent' });
    expect(inv.statusCode).toBe(201);
    const { user, inviteToken, inviteExpiresAt } = inv.json();
    expect(user).toMatchObject({ email: 'new.hire@people.test', invitePending: true, role: 'agent' });
    expect(inviteExpiresAt - ctx().clock.now()).toBe(7 * 24 * 3_600_000);
    // No password yet: cannot sign in.
    const early = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'new.hire@people.test', password: 'anything at all' },
    });
    expect(early.statusCode).toBe(401);
    const accept = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: inviteToken, password: 'a brand new password', displayName: 'New Hire' },
    });
    expect(accept.statusCode).toBe(200);
    expect(accept.json()).toMatchObject({ user: { id: user.id, displayName: 'New Hire', invitePending: false } });
    const reuse = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: inviteToken, password: 'another new password' },
    });
    expect(reuse.statusCode).toBe(401);
    await loginAs(ctx().app, 'new.hire@people.test', { password: 'a brand new password' });
  });

  it('a lost invite link is replaced: the new link works, the old one no longer; accepted or deactivated users get 409', async () => {
    const accept = (token: string) =>
      ctx().app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invite',
        payload: { token, password: 'a brand new password' },
      });
    const inv = (await call('POST', '/api/v1/users/invite', { email: 'lost.link@people.test', role: 'agent' })).json();
    const again = await call('POST', `/api/v1/users/${inv.user.id}/invite`);
    expect(again.statusCode, again.body).toBe(200);
    const fresh = again.json();
    expect(fresh.user).toMatchObject({ id: inv.user.id, invitePending: true });
    expect(fresh.inviteToken).not.toBe(inv.inviteToken);
    expect(fresh.inviteExpiresAt - ctx().clock.now()).toBe(7 * 24 * 3_600_000);
    expect((await accept(inv.inviteToken)).statusCode).toBe(401);
    expect((await accept(fresh.inviteToken)).statusCode).toBe(200);
    const done = await call('POST', `/api/v1/users/${inv.user.id}/invite`);
    expect([done.statusCode, done.json().code]).toEqual([409, 'conflict']);

    const gone = (await call('POST', '/api/v1/users/invite', { email: 'gone@people.test', role: 'agent' })).json();
    expect((await call('POST', `/api/v1/users/${gone.user.id}/deactivate`)).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/users/${gone.user.id}/invite`)).statusCode).toBe(409);
  });

  it('refuses an invite past its 7 days', async () => {
    const { inviteToken } = (
      await call('POST', '/api/v1/users/invite', { email: 'late@people.test', role: 'agent' })
    ).json();
    ctx().clock.advance(7 * 24 * 3_600_000 + 1);
    const res = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: inviteToken, password: 'a brand new password' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('token_invalid');
    admin = (await loginAs(ctx().app, a.emails.admin)).accessToken;
  });

  it('lists the org newest first in pages, filtered; supervisors may list', async () => {
    for (let i = 0; i < 3; i++) {
      ctx().clock.advance(1000);
      await call('POST', '/api/v1/users/invite', { email: `page-${i}@people.test`, role: 'customer' });
    }
    const supervisor = (await loginAs(ctx().app, a.emails.supervisor)).accessToken;
    const first = await call('GET', '/api/v1/users?limit=2&role=customer', undefined, supervisor);
    expect(first.statusCode).toBe(200);
    const p1 = first.json();
    expect(p1.items.map((u: { email: string }) => u.email)).toEqual(['page-2@people.test', 'page-1@people.test']);
    const p2 = (
      await call('GET', `/api/v1/users?limit=2&role=customer&cursor=${p1.nextCursor}`, undefined, supervisor)
    ).json();
    expect(p2.items.map((u: { email: string }) => u.email)).toEqual(['page-0@people.test', 'customer@people.test']);
    const all = (await call('GET', '/api/v1/users?limit=100&kind=user')).json();
    expect(all.nextCursor).toBeUndefined();
    expect(all.items.every((u: { orgId: string }) => u.orgId === a.org.id)).toBe(true);
    expect((await call('GET', '/api/v1/users?cursor=garbage')).statusCode).toBe(400);
  });

  it('the staff directory: any staff member sees active staff by name, no customers, service accounts, leavers or pending invites', async () => {
    const d = await createOrgWithUsers(ctx().platform, { slug: 'directory' });
    const add = (displayName: string, email: string, role: 'agent' | 'customer' = 'agent') =>
      insertTestUser(ctx().platform, { orgId: d.org.id, email, displayName, role, passwordHash: null });
    await add('AI assistant', `ai@${SERVICE_ACCOUNT_DOMAIN}`);
    await add('Zoë 100%_Sure', 'zoe@directory.test');
    await add('Ann Other', 'ann@directory.test');
    const leaver = await add('Lee Leaver', 'lee@directory.test');
    const dAdmin = (await loginAs(ctx().app, d.emails.admin)).accessToken;
    expect((await call('POST', `/api/v1/users/${leaver.id}/deactivate`, undefined, dAdmin)).statusCode).toBe(200);
    const invited = await call('POST', '/api/v1/users/invite', { email: 'ivy@directory.test', role: 'agent' }, dAdmin);
    expect(invited.statusCode, invited.body).toBe(201);
    const agent = (await loginAs(ctx().app, d.emails.agent)).accessToken;
    const names = async (query = '') => {
      const res = await call('GET', `/api/v1/users/directory${query}`, undefined, agent);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { displayName: string; role: string }[]).map((u) => `${u.displayName}/${u.role}`);
    };
    expect(await names()).toEqual([
      'admin of directory/admin',
      'agent of directory/agent',
      'Ann Other/agent',
      'supervisor of directory/supervisor',
      'Zoë 100%_Sure/agent',
    ]);
    expect(await names('?q=OTHER')).toEqual(['Ann Other/agent']);
    // Once the invite is accepted, they are offered.
    const { inviteToken } = invited.json();
    const accepted = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: inviteToken, password: 'a brand new password', displayName: 'Ivy Invited' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await names('?q=ivy')).toEqual(['Ivy Invited/agent']);
    // LIKE wildcards in the query are plain characters.
    expect(await names(`?q=${encodeURIComponent('%_')}`)).toEqual(['Zoë 100%_Sure/agent']);
    expect(await names('?q=_')).toEqual(['Zoë 100%_Sure/agent']);
    expect(await names('?limit=2')).toHaveLength(2);
    expect((await call('GET', '/api/v1/users/directory?limit=0', undefined, agent)).statusCode).toBe(400);
    // Another org's directory is never mixed in.
    expect(await names('?q=people')).toEqual([]);
  });

  it('creates users, refuses a duplicate email, renames and changes roles', async () => {
    const created = await call('POST', '/api/v1/users', {
      email: 'made@people.test',
      password: 'long enough pw',
      role: 'agent',
    });
    expect(created.statusCode).toBe(201);
    const dup = await call('POST', '/api/v1/users', {
      email: 'MADE@people.test',
      password: 'long enough pw',
      role: 'agent',
    });
    expect(dup.statusCode).toBe(409);
    const id = created.json().id;
    const renamed = await call('PATCH', `/api/v1/users/${id}`, { displayName: 'Made Up' });
    expect(renamed.json()).toMatchObject({ displayName: 'Made Up', role: 'agent' });
    expect((await call('PATCH', `/api/v1/users/${id}`, {})).statusCode).toBe(400);
    expect((await call('PATCH', `/api/v1/users/${id}`, { role: 'admin' })).json().role).toBe('admin');
  });

  it('keeps at least one active admin and does not let an admin deactivate themselves', async () => {
    const other = await createOrgWithUsers(ctx().platform, { slug: 'lonely' });
    const token = (await loginAs(ctx().app, other.emails.admin)).accessToken;
    const demote = await call('PATCH', `/api/v1/users/${other.users.admin.id}`, { role: 'agent' }, token);
    expect(demote.statusCode).toBe(409);
    const self = await call('POST', `/api/v1/users/${other.users.admin.id}/deactivate`, undefined, token);
    expect(self.statusCode).toBe(409);
  });

  it('deactivated users cannot sign in until reactivated', async () => {
    const off = await call('POST', `/api/v1/users/${a.users.customer.id}/deactivate`);
    expect(off.json().active).toBe(false);
    const login = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: a.emails.customer, password: a.password },
    });
    expect(login.statusCode).toBe(403);
    expect((await call('POST', `/api/v1/users/${a.users.customer.id}/reactivate`)).json().active).toBe(true);
    await loginAs(ctx().app, a.emails.customer);
  });

  it('reads and renames the current org', async () => {
    const agent = (await loginAs(ctx().app, a.emails.agent)).accessToken;
    expect((await call('GET', '/api/v1/orgs/current', undefined, agent)).json()).toMatchObject({
      id: a.org.id,
      slug: 'people',
    });
    const renamed = await call('PATCH', '/api/v1/orgs/current', { name: 'People Inc.' });
    expect(renamed.json()).toMatchObject({ id: a.org.id, name: 'People Inc.' });
    expect((await call('PATCH', '/api/v1/orgs/current', { name: 'x' }, agent)).statusCode).toBe(403);
  });

  it('asks for the org when one email and password open accounts in several orgs', async () => {
    const twin = await createOrgWithUsers(ctx().platform, { slug: 'twin' });
    await call('POST', '/api/v1/users', { email: twin.emails.agent, password: a.password, role: 'agent' });
    const ambiguous = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: twin.emails.agent, password: a.password },
    });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().errors).toEqual([{ path: 'body.org', message: 'required for this account' }]);
    expect((await loginAs(ctx().app, twin.emails.agent, { org: 'twin' })).org.slug).toBe('twin');
    expect((await loginAs(ctx().app, twin.emails.agent, { org: 'people' })).org.slug).toBe('people');
  });
});
