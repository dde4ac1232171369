import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConversationEvent } from '@switchboard/protocol';
import { Registry } from 'prom-client';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import { bearer, connectSocket, createOrgWithUsers, describeApp, listen, loginAs } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';
import { LexicalIndex } from '../knowledge/lexical-index.js';
import { scoreConfidence } from './confidence.js';
import { llmResponder } from './llm-responder.js';
import { builtinDraft } from './responder.js';

type Mode = 'normal' | 'slow' | 'error500' | 'malformed' | 'uncited';

/** A local server speaking the OpenAI chat-completions wire protocol, misbehaving on request. */
const fake = {
  mode: 'normal' as Mode,
  citeId: 'help-reset-password',
  requests: [] as { model: string; prompt: string }[],
};
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => {
    body += d;
  });
  req.on('end', () => {
    const parsed = JSON.parse(body) as { model: string; messages: { content: string }[] };
    fake.requests.push({ model: parsed.model, prompt: parsed.messages.map((m) => m.content).join('\n') });
    if (req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    if (fake.mode === 'error500') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"upstream exploded"}}');
      return;
    }
    const answer = {
      answer: 'Open your profile menu and choose Change password.',
      confidence: 0.9,
      needs_human: false,
      cited_ids: [fake.mode === 'uncited' ? 'not-retrieved' : fake.citeId],
    };
    const content =
      fake.mode === 'malformed' ? 'Sure! Here is the answer: change it in settings.' : JSON.stringify(answer);
    const reply = () =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${randomUUID()}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: parsed.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    if (fake.mode === 'slow') setTimeout(reply, 1500);
    else reply();
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
afterAll(() => {
  server.closeAllConnections();
  server.close();
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

describe('LLM responder against an OpenAI-compatible server', () => {
  let registry: Registry;
  const make = (fallback: 'builtin' | 'human' = 'builtin') =>
    llmResponder({ baseUrl, apiKey: 'test-key', model: 'tiny-test', timeoutMs: 300, fallback }, registry);
  beforeEach(() => {
    registry = new Registry();
    fake.requests.length = 0;
  });

  it('answers from the passages, cites retrieved articles and combines its confidence with retrieval', async () => {
    fake.mode = 'normal';
    const d = await make().draft(question, retrieval);
    const r = scoreConfidence(retrieval).confidence;
    expect(d).toMatchObject({
      responder: 'llm',
      text: 'Open your profile menu and choose Change password.',
      needsHuman: false,
    });
    expect(d.confidence).toBeCloseTo(Math.sqrt(0.9 * r), 2);
    expect(d.sources.map((s) => s.articleId)).toEqual(['help-reset-password']);
    expect(fake.requests[0]?.model).toBe('tiny-test');
    expect(fake.requests[0]?.prompt).toContain('Customer question: How do I reset my password?');
    expect(fake.requests[0]?.prompt).toContain('article help-reset-password');
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

  it('refuses AI_BASE_URL without AI_MODEL at boot', () => {
    expect(() => testConfig({ AI_BASE_URL: baseUrl })).toThrow(/AI_MODEL: required/);
    expect(testConfig({ AI_BASE_URL: baseUrl, AI_MODEL: 'm' }).ai).toMatchObject({
      timeoutMs: 8000,
      fallback: 'builtin',
    });
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

describeApp(
  'LLM responder in the app',
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
        const ask = async (mode: Mode) => {
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
        expect(await ask('normal')).toBe('Open your profile menu and choose Change password.');
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
  },
  { AI_BASE_URL: baseUrl, AI_MODEL: 'tiny-test', AI_API_KEY: 'k', AI_TIMEOUT_MS: '2000' },
);
