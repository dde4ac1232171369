import { afterAll, beforeAll, expect, it } from 'vitest';
import { knowledgeService } from '../../server/src/modules/knowledge/knowledge.service.js';
import { DEMO_ARTICLES } from '../../server/src/seed/demo-kb.js';
import {
  bearer,
  createOrgWithUsers,
  describeApp,
  listen,
  loginAs,
  type OrgFixture,
} from '../../server/src/test/auth.js';
import { codeOf, signedInClients } from './test/signed-in.js';

/** `client.api.copilot` and `approvals.thresholds` against the real server (no LLM configured). */
describeApp('sdk copilot API', (ctx) => {
  let url: string;
  let fx: OrgFixture;
  let conversationId: string;
  const clients = signedInClients();
  const open = (email: string) => clients.open(url, email, fx.password);

  beforeAll(async () => {
    fx = await createOrgWithUsers(ctx().platform);
    await knowledgeService(ctx().platform).import(fx.org.id, null, { articles: [...DEMO_ARTICLES] });
    url = await listen(ctx().app);
    const customer = (await loginAs(ctx().app, fx.emails.customer)).accessToken;
    const res = await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: bearer(customer),
      payload: { kind: 'support' },
    });
    conversationId = res.json().conversation.id;
  });
  afterAll(() => clients.closeAll());

  it('suggests a reply with its sources; the LLM-only calls reject with llm_not_configured', async () => {
    const agent = await open(fx.emails.agent);
    const s = await agent.api.copilot.suggest(conversationId, { question: 'How do I reset my password?' });
    expect(s).toMatchObject({ responder: 'builtin', noAnswer: false });
    expect(s.sources.length).toBeGreaterThan(0);
    expect(await codeOf(agent.api.copilot.suggest(conversationId))).toBe('conflict'); // nothing asked yet
    expect(await codeOf(agent.api.copilot.rewrite(conversationId, { text: 'hi', style: 'shorter' }))).toBe(
      'llm_not_configured',
    );
    expect(await codeOf(agent.api.copilot.summary(conversationId))).toBe('llm_not_configured');
    expect(await codeOf(agent.api.approvals.thresholds())).toBe('forbidden');
    const supervisor = await open(fx.emails.supervisor);
    expect(await supervisor.api.approvals.thresholds()).toMatchObject({ decided: 0 });
  });
});
