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
import { sessionAuth } from './auth.js';
import { createClient, type SwitchboardClient } from './client.js';
import { SwitchboardError } from './errors.js';
import { signIn } from './sign-in.js';

/** `client.api.copilot` and `approvals.thresholds` against the real server (no LLM configured). */
describeApp('sdk copilot API', (ctx) => {
  let url: string;
  let fx: OrgFixture;
  let conversationId: string;
  const clients: SwitchboardClient[] = [];
  const open = async (email: string) => {
    const { user, org: _org, ...tokens } = await signIn({ url }, { email, password: fx.password });
    const client = createClient({ url, auth: sessionAuth(tokens), userId: user.id, warn: () => {} });
    clients.push(client);
    return client;
  };
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: unknown) => (e instanceof SwitchboardError ? e.code : String(e)),
    );

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
  afterAll(() => {
    for (const c of clients) c.close();
  });

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
