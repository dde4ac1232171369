import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import { bearer, createOrgWithUsers, describeApp, loginAs, type OrgFixture } from '../../test/auth.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';
import { FAKE_ANSWER_TEXT, FAKE_TEXT_REPLY, startFakeLlm } from './fake-llm-servers.js';

const fake = await startFakeLlm('openai-compatible');
afterAll(() => fake.close());

const QUESTION = 'How do I reset my password?';

/** An org with the demo KB, a support conversation in which the customer asked QUESTION, and tokens. */
function fixture(
  ctx: () => { app: import('fastify').FastifyInstance; platform: import('../../platform/platform.js').Platform },
) {
  const s = { a: undefined as unknown as OrgFixture, agent: '', customer: '', conversationId: '' };
  beforeAll(async () => {
    const { app, platform } = ctx();
    s.a = await createOrgWithUsers(platform);
    await knowledgeService(platform).import(s.a.org.id, null, { articles: [...DEMO_ARTICLES] });
    s.agent = (await loginAs(app, s.a.emails.agent)).accessToken;
    s.customer = (await loginAs(app, s.a.emails.customer)).accessToken;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: bearer(s.customer),
      payload: { kind: 'support' },
    });
    s.conversationId = created.json().conversation.id;
    const sent = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${s.conversationId}/messages`,
      headers: bearer(s.customer),
      payload: { clientMsgId: randomUUID(), text: QUESTION },
    });
    expect(sent.statusCode).toBeLessThan(300);
  });
  const call = (action: string, payload?: object, token = s.agent) =>
    ctx().app.inject({
      method: 'POST',
      url: `/api/v1/support/${s.conversationId}/copilot/${action}`,
      headers: bearer(token),
      ...(payload ? { payload } : {}),
    });
  return { s, call };
}

describeApp('agent copilot without an LLM', (ctx) => {
  const { s, call } = fixture(ctx);

  it("suggests a reply with citations to the customer's latest message, also once a person has taken over", async () => {
    const take = await ctx().app.inject({
      method: 'POST',
      url: `/api/v1/support/${s.conversationId}/take`,
      headers: bearer(s.agent),
    });
    expect(take.statusCode).toBe(204);
    const res = await call('suggest', {});
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ question: QUESTION, responder: 'builtin', noAnswer: false });
    expect(body.text).toContain('Change password');
    expect(body.sources[0].articleId).toBeTruthy();
  });

  it('under the floor it proposes no text, only the closest articles', async () => {
    const res = await call('suggest', { question: 'What is the status of my parcel delivery to Canada?' });
    expect(res.json()).toMatchObject({ noAnswer: true, text: '' });
    expect(res.json().sources.length).toBeGreaterThan(0);
  });

  it('rewrite, translate and summary say why they are unavailable (llm_not_configured)', async () => {
    for (const [action, payload] of [
      ['rewrite', { text: 'pls reset it', style: 'grammar' }],
      ['translate', { text: 'Hello', language: 'de' }],
      ['summary', undefined],
    ] as const) {
      const res = await call(action, payload);
      expect(res.statusCode).toBe(501);
      expect(res.json()).toMatchObject({ code: 'llm_not_configured' });
      expect(res.json().detail ?? res.json().title).toMatch(/AI_MODEL/);
    }
  });

  it('is for staff only', async () => {
    expect((await call('suggest', {}, s.customer)).statusCode).toBe(403);
  });
});

describeApp(
  'agent copilot with an LLM (local OpenAI-compatible server)',
  (ctx) => {
    const { s, call } = fixture(ctx);
    // The AI's own drafts (structured output, `response_format`) may run meanwhile: read the copilot's calls.
    const lastBody = () =>
      JSON.parse(fake.requests.filter((r) => !r.body.includes('response_format')).at(-1)?.body ?? '{}') as {
        messages: { content: string }[];
      };
    const prompt = () =>
      lastBody()
        .messages.map((m) => m.content)
        .join('\n');

    it('suggests the LLM answer from the retrieved passages, with its citations', async () => {
      fake.mode = 'normal';
      const index = await knowledgeService(ctx().platform).index(s.a.org.id);
      fake.citeId = index.search(QUESTION).hits[0]?.articleId ?? '';
      const res = await call('suggest', {});
      expect(res.json()).toMatchObject({ responder: 'llm', text: FAKE_ANSWER_TEXT, noAnswer: false });
      expect(res.json().sources.map((x: { articleId: string }) => x.articleId)).toContain(fake.citeId);
    });

    it('rewrites, translates and summarises through the model', async () => {
      const rewrite = await call('rewrite', { text: 'pls reset ur pasword', style: 'grammar' });
      expect(rewrite.json()).toEqual({ text: FAKE_TEXT_REPLY, model: 'tiny-test' });
      expect(prompt()).toMatch(/Fix spelling, grammar/);
      expect(prompt()).toContain('pls reset ur pasword');

      expect((await call('translate', { text: 'Your refund is on its way.', language: 'de' })).json().text).toBe(
        FAKE_TEXT_REPLY,
      );
      expect(prompt()).toMatch(/language "de"/);

      expect((await call('summary')).json().text).toBe(FAKE_TEXT_REPLY);
      expect(prompt()).toContain(`Customer: ${QUESTION}`);
    });

    it('retries a transient model error with backoff; answers llm_failed once the retries are spent', async () => {
      const calls = () => fake.requests.filter((r) => r.body.includes('hello there')).length;
      // The AI's own draft of the customer's message may call the model meanwhile: fail only ours.
      fake.failWhen = 'hello there';
      fake.requests.length = 0;
      fake.failNext = 2;
      const ok = await call('rewrite', { text: 'hello there', style: 'shorter' });
      expect(ok.json().text).toBe(FAKE_TEXT_REPLY);
      expect(calls()).toBe(3);

      fake.requests.length = 0;
      fake.failNext = 3;
      const failed = await call('rewrite', { text: 'hello there', style: 'shorter' });
      expect(failed.statusCode).toBe(502);
      expect(failed.json()).toMatchObject({ code: 'llm_failed' });
      expect(calls()).toBe(3);
      fake.failNext = 0;
      fake.failWhen = undefined;
    });
  },
  { AI_BASE_URL: fake.baseUrl, AI_MODEL: 'tiny-test', AI_API_KEY: 'k', AI_TIMEOUT_MS: '5000' },
);
