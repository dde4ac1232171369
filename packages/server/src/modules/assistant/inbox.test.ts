import { beforeAll, expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs, type OrgFixture } from '../../test/auth.js';

describeApp('support inbox for the agent console', (ctx) => {
  let a: OrgFixture;
  let agentToken: string;
  let customerToken: string;
  const get = (url: string, token: string) => ctx().app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (url: string, token: string, payload?: object) =>
    ctx().app.inject({ method: 'POST', url, headers: bearer(token), ...(payload ? { payload } : {}) });

  async function supportConversation(text: string): Promise<string> {
    const c = await post('/api/v1/conversations', customerToken, { kind: 'support' });
    const id = c.json().conversation.id as string;
    const sent = await post(`/api/v1/conversations/${id}/messages`, customerToken, {
      clientMsgId: crypto.randomUUID(),
      text,
    });
    expect(sent.statusCode).toBe(201);
    return id;
  }

  beforeAll(async () => {
    a = await createOrgWithUsers(ctx().platform);
    agentToken = (await loginAs(ctx().app, a.emails.agent)).accessToken;
    customerToken = (await loginAs(ctx().app, a.emails.customer)).accessToken;
    // No drafts: this file is about listing, and a draft task racing a handoff would move the status under it.
    const admin = (await loginAs(ctx().app, a.emails.admin)).accessToken;
    const off = await ctx().app.inject({
      method: 'PATCH',
      url: '/api/v1/ai/settings',
      headers: bearer(admin),
      payload: { enabled: false },
    });
    expect(off.statusCode).toBe(200);
  });

  it('lists support conversations with customer, status and newest message; filters by status and mine', async () => {
    const first = await supportConversation('first question');
    ctx().clock.advance(1000);
    const second = await supportConversation('second question');
    const all = await get('/api/v1/support', agentToken);
    expect(all.statusCode).toBe(200);
    const body = all.json();
    const ids = body.items.map((i: { conversation: { id: string } }) => i.conversation.id);
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));
    const row = body.items.find((i: { conversation: { id: string } }) => i.conversation.id === first);
    expect(row).toMatchObject({
      status: 'ai_active',
      assignedTo: null,
      customer: { id: a.users.customer.id, kind: 'user', email: a.emails.customer },
    });
    expect(row.lastMessage?.text).toBeDefined();
    expect(body.me).toEqual({ active: 0, capacity: 5 });

    expect((await post(`/api/v1/support/${first}/handoff`, customerToken)).statusCode).toBe(204);
    const requested = (await get('/api/v1/support?status=human_requested', agentToken)).json();
    expect(requested.items.map((i: { conversation: { id: string } }) => i.conversation.id)).toEqual([first]);
    expect(requested.items[0], JSON.stringify(requested.items[0])).toMatchObject({ queuePosition: 1 });

    expect((await get('/api/v1/support?mine=true', agentToken)).json().items).toEqual([]);
    expect((await post(`/api/v1/support/${first}/take`, agentToken)).statusCode).toBe(204);
    const mine = (await get('/api/v1/support?mine=true', agentToken)).json();
    expect(mine.items.map((i: { conversation: { id: string } }) => i.conversation.id)).toEqual([first]);
    expect(mine.items[0]).toMatchObject({ status: 'human_active', assignedTo: a.users.agent.id });
    expect(mine.me.active).toBe(1);
  });

  it('shows staff the history of a conversation they have not joined; customers cannot list', async () => {
    const id = await supportConversation('where is my order?');
    const history = await get(`/api/v1/support/${id}/messages?limit=10`, agentToken);
    expect(history.statusCode).toBe(200);
    expect(history.json().items.map((m: { text: string }) => m.text)).toContain('where is my order?');
    expect((await get('/api/v1/support', customerToken)).statusCode).toBe(403);
    expect((await get(`/api/v1/support/${id}/messages`, customerToken)).statusCode).toBe(403);
    expect((await get(`/api/v1/support/${crypto.randomUUID()}/messages`, agentToken)).statusCode).toBe(404);
  });

  it('rejects a bad query with a clear code', async () => {
    const bad = await get('/api/v1/support?status=sleeping&limit=0', agentToken);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
    expect((await get('/api/v1/support?limit=201', agentToken)).statusCode).toBe(400);
  });
});
