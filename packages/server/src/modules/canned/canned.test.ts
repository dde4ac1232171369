import { expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs } from '../../test/auth.js';

describeApp('canned responses', (ctx) => {
  it("the team's and my own; personal ones are private; only supervisors and admins write the team's", async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const b = await createOrgWithUsers(platform);
    const token = async (email: string) => (await loginAs(app, email)).accessToken;
    const [agent, supervisor, customer, other] = await Promise.all([
      token(a.emails.agent),
      token(a.emails.supervisor),
      token(a.emails.customer),
      token(b.emails.admin),
    ]);
    const call = (t: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url, headers: bearer(t), ...(payload ? { payload } : {}) });
    const list = async (t: string) =>
      (await call(t, 'GET', '/api/v1/canned-responses'))
        .json()
        .items.map((c: { shortcut: string; scope: string }) => `${c.scope}:${c.shortcut}`);

    const team = await call(supervisor, 'POST', '/api/v1/canned-responses', {
      scope: 'org',
      shortcut: 'Refund',
      title: 'Refund timeline',
      text: 'Hi {{customer.name}}, refunds take 5 days.',
    });
    expect(team.statusCode, team.body).toBe(201);
    expect(team.json()).toMatchObject({ scope: 'org', shortcut: 'refund', ownerId: null });
    // An agent may not add to the team's set, but keeps their own (the same shortcut is fine there).
    const refused = await call(agent, 'POST', '/api/v1/canned-responses', {
      scope: 'org',
      shortcut: 'x',
      title: 't',
      text: 'x',
    });
    expect(refused.statusCode).toBe(403);
    const mine = await call(agent, 'POST', '/api/v1/canned-responses', {
      shortcut: 'refund',
      title: 'Mine',
      text: 'My words',
    });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(
      (await call(agent, 'POST', '/api/v1/canned-responses', { shortcut: 'refund', title: 'Again', text: 'x' }))
        .statusCode,
    ).toBe(409);
    expect(
      (await call(agent, 'POST', '/api/v1/canned-responses', { shortcut: 'two words', title: 't', text: 'x' }))
        .statusCode,
    ).toBe(400);

    expect(await list(agent)).toEqual(['org:refund', 'personal:refund']);
    expect(await list(supervisor)).toEqual(['org:refund']);
    expect(await list(other)).toEqual([]);
    expect((await call(customer, 'GET', '/api/v1/canned-responses')).statusCode).toBe(403);

    // Someone else's personal response does not exist for the supervisor; the team's is not the agent's to change.
    expect(
      (await call(supervisor, 'PATCH', `/api/v1/canned-responses/${mine.json().id}`, { title: 'x' })).statusCode,
    ).toBe(404);
    expect((await call(agent, 'PATCH', `/api/v1/canned-responses/${team.json().id}`, { title: 'x' })).statusCode).toBe(
      403,
    );
    expect((await call(other, 'DELETE', `/api/v1/canned-responses/${team.json().id}`)).statusCode).toBe(404);
    const renamed = await call(agent, 'PATCH', `/api/v1/canned-responses/${mine.json().id}`, { shortcut: 'money' });
    expect(renamed.json()).toMatchObject({ shortcut: 'money', title: 'Mine' });
    expect((await call(agent, 'DELETE', `/api/v1/canned-responses/${mine.json().id}`)).statusCode).toBe(204);
    expect(await list(agent)).toEqual(['org:refund']);
  });
});
