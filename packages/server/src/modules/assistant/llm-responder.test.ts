import { randomUUID } from 'node:crypto';
import type { ConversationEvent } from '@switchboard/protocol';
import { Registry } from 'prom-client';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../config.js';
import { llmConfigured } from '../../platform/ai.js';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import { bearer, connectSocket, createOrgWithUsers, describeApp, listen, loginAs } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';
import { LexicalIndex } from '../knowledge/lexical-index.js';
import { scoreConfidence } from './confidence.js';
import { FAKE_ANSWER_TEXT, type FakeMode, startFakeLlm } from './fake-llm-servers.js';
import { llmResponder } from './llm-responder.js';
import { builtinDraft } from './responder.js';

type Provider = Config['ai']['provider'];
const PROVIDERS: Provider[] = ['openai-compatible', 'anthropic'];
/** One local server per wire protocol: OpenAI chat completions and Anthropic Messages. */
const fakes = {
  'openai-compatible': await startFakeLlm('openai-compatible'),
  anthropic: await startFakeLlm('anthropic'),
};
afterAll(() => {
  for (const f of Object.values(fakes)) f.close();
});

const index = new LexicalIndex();
for (const a of DEMO_ARTICLES) index.upsert({ id: a.externalId, title: a.title, body: a.body, topics: a.topics ?? [] });
const question = 'How do I reset my password?';
const retrieval = index.search(question);

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const found = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return found?.value ?? 0;
}

describe.each(PROVIDERS)('LLM responder against a local %s server', (provider) => {
  const fake = fakes[provider];
  let registry: Registry;
  const make = (fallback: 'builtin' | 'human' = 'builtin') =>
    llmResponder(
      { provider, baseUrl: fake.baseUrl, apiKey: 'test-key', model: 'tiny-test', timeoutMs: 1500, fallback },
      registry,
    );
  beforeEach(() => {
    registry = new Registry();
    fake.requests.length = 0;
  });

  it('retries a transient server error with backoff before falling back', async () => {
    fake.mode = 'normal';
    fake.failNext = 2;
    const d = await make().draft(question, retrieval);
    expect(d).toMatchObject({ responder: 'llm', text: FAKE_ANSWER_TEXT });
    expect(fake.requests).toHaveLength(3);
    expect(await value(registry, 'ai_llm_retries_total', {})).toBe(2);
    expect(await value(registry, 'ai_llm_fallbacks_total', { to: 'builtin' })).toBe(0);
  });

  it('answers from the passages, cites retrieved articles and combines its confidence with retrieval', async () => {
    fake.mode = 'normal';
    const d = await make().draft(question, retrieval);
    const r = scoreConfidence(retrieval).confidence;
    expect(d).toMatchObject({ responder: 'llm', text: FAKE_ANSWER_TEXT, needsHuman: false });
    expect(d.confidence).toBeCloseTo(Math.sqrt(0.9 * r), 2);
    expect(d.sources.map((s) => s.articleId)).toEqual(['help-reset-password']);
    expect(fake.requests[0]?.model).toBe('tiny-test');
    expect(fake.requests[0]?.body).toContain('Customer question: How do I reset my password?');
    expect(fake.requests[0]?.body).toContain('article help-reset-password');
    if (provider === 'anthropic') expect(fake.requests[0]?.headers['x-api-key']).toBe('test-key');
    else expect(fake.requests[0]?.headers.authorization).toBe('Bearer test-key');
    expect(await value(registry, 'ai_llm_requests_total', { result: 'ok' })).toBe(1);
  });

  it.each([
    ['slow', 'timeout'],
    ['error500', 'error'],
    ['malformed', 'malformed'],
  ] as const)('%s → falls back to the built-in answer and counts a %s', async (mode, result) => {
    fake.mode = mode;
    const d = await make().draft(question, retrieval);
    expect(d.responder).toBe('builtin');
    expect(d.text).toBe(builtinDraft(retrieval).text);
    expect(d.reason).toContain(`LLM ${result}`);
    expect(await value(registry, 'ai_llm_requests_total', { result })).toBe(1);
    expect(await value(registry, 'ai_llm_fallbacks_total', { to: 'builtin' })).toBe(1);
  });

  it('with AI_FALLBACK=human a failure goes to a person (confidence 0)', async () => {
    fake.mode = 'error500';
    const d = await make('human').draft(question, retrieval);
    expect(d).toMatchObject({ confidence: 0, needsHuman: true });
    expect(await value(registry, 'ai_llm_fallbacks_total', { to: 'human' })).toBe(1);
  });

  it('an answer that cites nothing retrieved goes to a person; no retrieval means no call', async () => {
    fake.mode = 'uncited';
    const d = await make().draft(question, retrieval);
    expect(d.needsHuman).toBe(true);
    expect(d.confidence).toBeLessThanOrEqual(0.2);
    const before = fake.requests.length;
    expect((await make().draft('weather in Paris', index.search('weather in Paris'))).confidence).toBe(0);
    expect(fake.requests.length).toBe(before);
  });
});

describe('LLM configuration', () => {
  it('refuses AI_BASE_URL without AI_MODEL, and Anthropic without a model or key, at boot', () => {
    const url = fakes['openai-compatible'].baseUrl;
    expect(() => testConfig({ AI_BASE_URL: url })).toThrow(/AI_MODEL: required/);
    expect(testConfig({ AI_BASE_URL: url, AI_MODEL: 'm' }).ai).toMatchObject({
      timeoutMs: 8000,
      fallback: 'builtin',
      provider: 'openai-compatible',
    });
    expect(() => testConfig({ AI_PROVIDER: 'anthropic', AI_MODEL: 'm' })).toThrow(/AI_PROVIDER: anthropic needs/);
    expect(() => testConfig({ AI_PROVIDER: 'gemini' })).toThrow(/AI_PROVIDER/);
    // Anthropic's own endpoint is the default: no base URL needed.
    expect(llmConfigured(testConfig({ AI_PROVIDER: 'anthropic', AI_MODEL: 'm', AI_API_KEY: 'k' }).ai)).toBe(true);
    expect(llmConfigured(testConfig({ AI_MODEL: 'm' }).ai)).toBe(false);
  });
});

for (const provider of PROVIDERS) {
  const fake = fakes[provider];
  describeApp(
    `LLM responder in the app (${provider})`,
    (ctx) => {
      it('sends the LLM answer to the customer over the socket; a failing model falls back to the built-in answer', async () => {
        const { app, platform } = ctx();
        const a = await createOrgWithUsers(platform);
        await knowledgeService(platform).import(a.org.id, null, { articles: [...DEMO_ARTICLES] });
        const url = await listen(app);
        const token = (await loginAs(app, a.emails.customer)).accessToken;
        const customer = await connectSocket(url, token);
        try {
          const articles = (await knowledgeService(platform).index(a.org.id)).search(question).hits;
          fake.citeId = articles[0]?.articleId ?? '';
          const ask = async (mode: FakeMode) => {
            fake.mode = mode;
            const res = await app.inject({
              method: 'POST',
              url: '/api/v1/conversations',
              headers: bearer(token),
              payload: { kind: 'support' },
            });
            const conversationId = res.json().conversation.id as string;
            const answer = new Promise<ConversationEvent>((resolve) => {
              customer.on('message.new', (e: ConversationEvent) => {
                if (e.conversationId === conversationId && e.message?.senderId !== a.users.customer.id) resolve(e);
              });
            });
            await customer.emitWithAck('message.send', { conversationId, clientMsgId: randomUUID(), text: question });
            return (await answer).message?.text;
          };
          expect(await ask('normal')).toBe(FAKE_ANSWER_TEXT);
          expect(await ask('error500')).toContain('Change password');
          const metrics = await platform.metrics.registry.getSingleMetric('ai_llm_requests_total')?.get();
          expect(metrics?.values.map((v) => [v.labels.result, v.value]).sort()).toEqual([
            ['error', 1],
            ['ok', 1],
          ]);
        } finally {
          customer.close();
          fake.citeId = 'help-reset-password';
        }
      });

      it('a draft that finishes after the customer asked for a person neither answers nor queues an approval', async () => {
        const { app, platform } = ctx();
        const a = await createOrgWithUsers(platform);
        await knowledgeService(platform).import(a.org.id, null, { articles: [...DEMO_ARTICLES] });
        // The app may already listen for the test before (one app per storage target).
        const address = app.server.address();
        const url = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : await listen(app);
        const token = (await loginAs(app, a.emails.customer)).accessToken;
        const customer = await connectSocket(url, token);
        try {
          fake.mode = 'slow'; // never answers: the draft runs for the whole AI_TIMEOUT_MS, then falls back
          const res = await app.inject({
            method: 'POST',
            url: '/api/v1/conversations',
            headers: bearer(token),
            payload: { kind: 'support' },
          });
          const conversationId = res.json().conversation.id as string;
          const typing = (on: boolean) =>
            new Promise<void>((resolve) => {
              customer.on('message.typing', (e: { conversationId: string; typing: boolean }) => {
                if (e.conversationId === conversationId && e.typing === on) resolve();
              });
            });
          const started = typing(true);
          const finished = typing(false);
          const texts: (string | null)[] = [];
          customer.on('message.new', (e: ConversationEvent) => {
            if (e.conversationId === conversationId && e.message?.senderId !== a.users.customer.id)
              texts.push(e.message?.text ?? null);
          });
          await customer.emitWithAck('message.send', { conversationId, clientMsgId: randomUUID(), text: question });
          await started;
          const handoff = await app.inject({
            method: 'POST',
            url: `/api/v1/support/${conversationId}/handoff`,
            headers: bearer(token),
          });
          expect(handoff.statusCode).toBe(204);
          await finished;
          await customer.emitWithAck('message.typing', { conversationId, typing: false }); // barrier
          const state = await app.inject({
            method: 'GET',
            url: `/api/v1/support/${conversationId}`,
            headers: bearer(token),
          });
          expect(state.json().status).toBe('human_requested');
          expect(texts).toEqual([]);
          const staff = (await loginAs(app, a.emails.agent)).accessToken;
          const pending = await app.inject({ method: 'GET', url: '/api/v1/approvals/pending', headers: bearer(staff) });
          expect(
            pending.json().items.filter((i: { conversationId: string }) => i.conversationId === conversationId),
          ).toEqual([]);
        } finally {
          customer.close();
          fake.mode = 'normal';
        }
      });
    },
    {
      AI_PROVIDER: provider,
      AI_BASE_URL: fake.baseUrl,
      AI_MODEL: 'tiny-test',
      AI_API_KEY: 'k',
      AI_TIMEOUT_MS: '2000',
    },
  );
}
