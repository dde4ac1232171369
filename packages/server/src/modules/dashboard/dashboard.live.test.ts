import { randomUUID } from 'node:crypto';
import type { ConversationEvent, DashboardSummary, DashboardUpdatedEvent } from '@switchboard/protocol';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import {
  bearer,
  connectSocket,
  createOrgWithUsers,
  describeApp,
  listen,
  loginAs,
  nextEvent as next,
  type OrgFixture,
} from '../../test/auth.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';

describeApp('dashboard through the real contact center', (ctx) => {
  let a: OrgFixture;
  let tokens: Record<'supervisor' | 'agent' | 'customer', string>;
  let customerId: string;
  let customer: Socket;
  let supervisor: Socket;
  let agent: Socket;
  const agentHeard: string[] = [];

  beforeAll(async () => {
    const { app, platform } = ctx();
    a = await createOrgWithUsers(platform);
    await knowledgeService(platform).import(a.org.id, null, { articles: [...DEMO_ARTICLES] });
    const url = await listen(app);
    const admin = (await loginAs(app, a.emails.admin)).accessToken;
    const { widgetKey } = (
      await app.inject({ method: 'GET', url: '/api/v1/orgs/current/widget', headers: bearer(admin) })
    ).json();
    const visitor = (
      await app.inject({ method: 'POST', url: '/api/v1/widget/session', payload: { widgetKey } })
    ).json();
    customerId = visitor.user.id;
    tokens = {
      supervisor: (await loginAs(app, a.emails.supervisor)).accessToken,
      agent: (await loginAs(app, a.emails.agent)).accessToken,
      customer: visitor.accessToken,
    };
    customer = await connectSocket(url, tokens.customer);
    supervisor = await connectSocket(url, tokens.supervisor);
    agent = await connectSocket(url, tokens.agent);
    agent.on('dashboard.updated', (e) => agentHeard.push(JSON.stringify(e)));
  });
  afterAll(() => {
    for (const s of [customer, supervisor, agent]) s?.close();
  });

  const get = (url: string, token = tokens.supervisor) =>
    ctx().app.inject({ method: 'GET', url, headers: bearer(token) });
  const post = (url: string, token: string, payload?: object) =>
    ctx().app.inject({ method: 'POST', url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const settled = () => ctx().app.services.dashboard.recorder.idle();

  it('records a real conversation (AI answer, handoff, assignment, resolution, CSAT) and pushes each change', async () => {
    const conversationId = (await post('/api/v1/conversations', tokens.customer, { kind: 'support' })).json()
      .conversation.id as string;
    const answered = next<ConversationEvent>(
      customer,
      'message.new',
      (e) => e.conversationId === conversationId && e.message?.senderId !== customerId,
    );
    await customer.emitWithAck('message.send', {
      conversationId,
      clientMsgId: randomUUID(),
      text: 'How do I reset my password?',
    });
    await answered;
    await settled();

    // The escalation: the customer asks for a person; the online agent gets the conversation.
    const pushed = next<DashboardUpdatedEvent>(supervisor, 'dashboard.updated', (e) => e.kinds.includes('handed_off'));
    expect((await post(`/api/v1/support/${conversationId}/handoff`, tokens.customer)).statusCode).toBe(204);
    expect((await pushed).kinds).toContain('handed_off');
    await settled();
    ctx().clock.advance(90_000);
    expect((await post(`/api/v1/support/${conversationId}/resolve`, tokens.agent)).statusCode).toBe(204);
    expect((await post(`/api/v1/support/${conversationId}/csat`, tokens.customer, { score: 4 })).statusCode).toBe(204);
    await settled();

    const s = (await get('/api/v1/dashboard/summary?period=today')).json() as DashboardSummary;
    expect(s.kpis).toMatchObject({
      conversationsStarted: 1,
      aiAutoSendRate: 1,
      aiAutoResolutionRate: 0,
      escalations: 1,
      resolved: 1,
      resolutionMedianMs: 90_000,
      queueMedianMs: 0,
      csatAverage: 4,
      csatCount: 1,
      messagesPerConversation: 2,
    });
    expect(s.kpis.firstResponseMedianMs).not.toBeNull();
    expect(s.escalationsByReason).toEqual([{ reason: 'customer_request', count: 1 }]);
    // Routing picks one of the online staff (agent or supervisor): that one handled it.
    const handler = s.agents.filter((x) => x.handled > 0);
    expect(handler).toHaveLength(1);
    expect(handler[0]).toMatchObject({ handled: 1, resolved: 1, load: 0, csatAverage: 4 });
    expect([a.users.agent.id, a.users.supervisor.id]).toContain(handler[0]?.userId);
    const widget = (await get('/api/v1/dashboard/summary?period=today&channel=widget')).json() as DashboardSummary;
    expect(widget.kpis.conversationsStarted).toBe(1);
    const web = (await get('/api/v1/dashboard/summary?period=today&channel=web')).json() as DashboardSummary;
    expect(web.kpis.conversationsStarted).toBe(0);
    expect(agentHeard).toEqual([]);
  });

  it('exports both as CSV', async () => {
    const summary = await get('/api/v1/dashboard/summary?period=today&format=csv');
    expect(summary.statusCode).toBe(200);
    expect(summary.headers['content-type']).toMatch(/^text\/csv/);
    expect(summary.body).toContain('kpi,escalations,1,0,');
    expect(summary.body.split('\r\n')[0]).toBe('section,name,value,previous,from,to');
    const series = await get(
      '/api/v1/dashboard/timeseries?period=7d&metric=conversationsStarted&interval=day&format=csv',
    );
    expect(series.statusCode).toBe(200);
    const lines = series.body.trim().split('\r\n');
    expect(lines[0]).toBe('start,t,conversationsStarted');
    expect(lines.slice(1).reduce((n, l) => n + Number(l.split(',')[2]), 0)).toBe(1);
  });

  it('rejects bad filters with validation_failed / bad_request and agents with 403', async () => {
    expect((await get('/api/v1/dashboard/summary?period=custom&from=10')).json().code).toBe('validation_failed');
    expect((await get('/api/v1/dashboard/summary?period=7d&from=10')).statusCode).toBe(400);
    expect((await get('/api/v1/dashboard/summary?period=custom&from=0&to=40000000000')).statusCode).toBe(400);
    expect((await get('/api/v1/dashboard/timeseries?metric=nope')).json().code).toBe('validation_failed');
    expect((await get('/api/v1/dashboard/summary?channel=fax')).statusCode).toBe(400);
    expect((await get(`/api/v1/dashboard/summary?topic=${'x'.repeat(61)}`)).statusCode).toBe(400);
    expect(
      (
        await get('/api/v1/dashboard/timeseries?metric=escalations&interval=hour&period=custom&from=0&to=31536000000')
      ).json().code,
    ).toBe('bad_request');
    expect((await get('/api/v1/dashboard/summary', tokens.agent)).statusCode).toBe(403);
  });
});
