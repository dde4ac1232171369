import { randomUUID } from 'node:crypto';
import type { Approval } from '@switchboard/protocol';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import { bearer, createOrgWithUsers, describeApp, loginAs, openSupportConversation } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { builtinDraft } from '../assistant/responder.js';
import { orgsService } from '../orgs/orgs.service.js';
import { EMBED_TASK } from './embeddings.js';
import { startFakeEmbeddings } from './fake-embeddings-server.js';
import { knowledgeService } from './knowledge.service.js';
import { reciprocalRankFusion, VectorIndex } from './vector-index.js';

const fake = await startFakeEmbeddings();
const embeddingUrl = fake.baseUrl;
afterAll(() => fake.close());

const actorOf = (orgId: string): Actor => ({
  userId: randomUUID(),
  orgId,
  role: 'admin',
  sessionId: 's',
  kind: 'user',
});

/** Every embedding task of the org has finished. */
async function embeddingsSettled(platform: Platform, orgId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const { items } = await platform.jobs.list({ orgId, type: EMBED_TASK, limit: 100 });
      expect(items.filter((t) => t.state !== 'succeeded')).toEqual([]);
    },
    { timeout: 15_000, interval: 20 },
  );
}

async function metric(platform: Platform, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await platform.metrics.registry.getSingleMetric(name)?.get();
  return m?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
}

const REFUND = { title: 'Refund policy', body: 'Refunds are paid within 14 days of the return.' };
const SHIPPING = { title: 'Shipping times', body: 'Parcels arrive in three working days.' };
const PASSWORD = { title: 'Password reset', body: 'Open settings and choose a new password.' };
/** Words only the vector side can connect: "reimbursed" is in no article. */
const MEANING_ONLY = 'When am I reimbursed?';

describeApp(
  'hybrid retrieval',
  (ctx) => {
    beforeEach(async () => {
      fake.mode = 'normal';
      // The task workers start with the app.
      await ctx().app.ready();
    });

    it('finds by meaning an article that shares no word with the question; confidence stays low', async () => {
      const { platform } = ctx();
      const org = await orgsService(platform).create({ slug: `hy-${randomUUID().slice(0, 6)}`, name: 'H' });
      const kb = knowledgeService(platform);
      for (const a of [REFUND, SHIPPING, PASSWORD]) await kb.create(actorOf(org.id), a);
      await embeddingsSettled(platform, org.id);
      const calls = await metric(platform, 'ai_embedding_requests_total', { kind: 'query', result: 'ok' });

      expect((await kb.index(org.id)).search(MEANING_ONLY).hits).toEqual([]);
      const r = await kb.retrieve(org.id, MEANING_ONLY);
      expect(r.hits[0]).toMatchObject({ title: 'Refund policy', score: 0 });
      expect(r.hits[0]?.similarity).toBeGreaterThan(0.5);
      // Found by its vector alone: an agent reviews it rather than it being sent.
      expect(builtinDraft(r).confidence).toBeLessThan(0.2);
      // A question with lexical matches keeps them first when the vectors agree.
      expect((await kb.retrieve(org.id, 'when do parcels arrive')).hits[0]?.title).toBe('Shipping times');
      expect(await metric(platform, 'ai_embedding_requests_total', { kind: 'query', result: 'ok' })).toBe(calls + 2);
    });

    it("in the contact center: a customer's meaning-only question becomes a draft from the right article, for review", async () => {
      const { app, platform } = ctx();
      const a = await createOrgWithUsers(platform);
      const kb = knowledgeService(platform);
      let refundId = '';
      for (const x of [REFUND, SHIPPING, PASSWORD]) {
        const created = await kb.create(actorOf(a.org.id), x);
        if (x === REFUND) refundId = created.id;
      }
      await embeddingsSettled(platform, a.org.id);
      const customer = (await loginAs(app, a.emails.customer)).accessToken;
      const agent = (await loginAs(app, a.emails.agent)).accessToken;
      const conversationId = await openSupportConversation(app, customer);
      const sent = await app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: bearer(customer),
        payload: { clientMsgId: randomUUID(), text: MEANING_ONLY },
      });
      expect(sent.statusCode).toBe(201);
      const item = await vi.waitFor(
        async () => {
          const pending = await app.inject({ method: 'GET', url: '/api/v1/approvals/pending', headers: bearer(agent) });
          const found = pending
            .json()
            .items.find((x: { conversationId: string }) => x.conversationId === conversationId);
          expect(found).toBeDefined();
          return found as Approval;
        },
        { timeout: 15_000, interval: 50 },
      );
      expect(item.sources[0]?.articleId).toBe(refundId);
      // The lexical evidence is nil, so the confidence sits under the floor: no one-key draft, but the right
      // article is the agent's first suggestion, with the passage that answers.
      expect(item.noAnswer).toBe(true);
      expect(item.draft).toBe('');
      expect(item.sources[0]?.passage).toContain('Refunds are paid within 14 days');
      expect(item.confidence).toBeLessThan(0.75);
    });

    it('re-embeds only the edited article, and of it only the changed passage', async () => {
      const { platform } = ctx();
      const org = await orgsService(platform).create({ slug: `hy-${randomUUID().slice(0, 6)}`, name: 'H' });
      const kb = knowledgeService(platform);
      const admin = actorOf(org.id);
      const para = (topic: string) => `${`All about ${topic}. `.repeat(22).trim()}`;
      const long = await kb.create(admin, {
        title: 'Account guide',
        body: [para('profiles'), para('avatars'), para('sessions')].join('\n\n'),
      });
      const refund = await kb.create(admin, REFUND);
      await kb.create(admin, SHIPPING);
      await embeddingsSettled(platform, org.id);
      expect(fake.inputs.flat().filter((t) => t.startsWith('Account guide'))).toHaveLength(3);

      fake.inputs.length = 0;
      await kb.update(admin, long.id, { body: [para('profiles'), para('avatars'), para('devices')].join('\n\n') });
      await embeddingsSettled(platform, org.id);
      expect(fake.inputs.flat()).toEqual([`Account guide\n\n${para('devices')}`]);

      fake.inputs.length = 0;
      await kb.update(admin, refund.id, { body: 'Refunds are paid within 10 days.', topics: ['billing'] });
      await kb.update(admin, refund.id, { topics: ['billing', 'money'] });
      await embeddingsSettled(platform, org.id);
      expect(fake.inputs.flat()).toEqual(['Refund policy\n\nRefunds are paid within 10 days.']);
      expect((await kb.retrieve(org.id, MEANING_ONLY)).hits[0]?.title).toBe('Refund policy');

      // Unpublished and published again: its stored vectors serve again, nothing is re-embedded — also
      // once newer vectors (another article's, later) have moved the index's mark past them.
      ctx().clock.advance(1_000);
      await kb.update(admin, long.id, { body: [para('profiles'), para('avatars'), para('tokens')].join('\n\n') });
      await embeddingsSettled(platform, org.id);
      await kb.retrieve(org.id, 'tokens');
      fake.inputs.length = 0;
      await kb.update(admin, refund.id, { published: false });
      expect((await kb.retrieve(org.id, MEANING_ONLY)).hits.map((h) => h.title)).not.toContain('Refund policy');
      await kb.update(admin, refund.id, { published: true });
      expect((await kb.retrieve(org.id, MEANING_ONLY)).hits[0]?.title).toBe('Refund policy');
      await embeddingsSettled(platform, org.id);
      expect(fake.inputs.flat().filter((t) => t.startsWith('Refund policy'))).toEqual([]);

      // Deleted: its vectors go, and it is never retrieved again.
      fake.inputs.length = 0;
      await kb.remove(admin, refund.id);
      await embeddingsSettled(platform, org.id);
      expect(fake.inputs).toEqual([]);
      expect((await kb.retrieve(org.id, MEANING_ONLY)).hits.map((h) => h.title)).not.toContain('Refund policy');
    });

    it('embeds articles written before an embedding model was configured, on first retrieval', async () => {
      const { platform } = ctx();
      const org = await orgsService(platform).create({ slug: `hy-${randomUUID().slice(0, 6)}`, name: 'H' });
      // Another process without an embedding model (e.g. an older release) wrote the articles.
      const before = knowledgeService({ ...platform, config: testConfig() });
      await before.import(org.id, null, { articles: [REFUND, SHIPPING] });
      expect((await platform.jobs.list({ orgId: org.id, type: EMBED_TASK })).items).toEqual([]);

      const kb = knowledgeService(platform);
      expect((await kb.retrieve(org.id, MEANING_ONLY)).hits).toEqual([]);
      await embeddingsSettled(platform, org.id);
      expect((await platform.jobs.list({ orgId: org.id, type: EMBED_TASK })).items).toHaveLength(2);
      expect((await kb.retrieve(org.id, MEANING_ONLY)).hits[0]?.title).toBe('Refund policy');

      // A node configured with another model finds no vectors of its own and queues both articles again.
      const otherModel = knowledgeService({
        ...platform,
        config: testConfig({
          AI_EMBEDDING_MODEL: 'another-model',
          AI_EMBEDDING_BASE_URL: embeddingUrl,
          AI_EMBEDDING_API_KEY: 'emb-key',
        }),
      });
      await otherModel.retrieve(org.id, MEANING_ONLY);
      expect((await platform.jobs.list({ orgId: org.id, type: EMBED_TASK })).items).toHaveLength(4);
    });

    it.each([
      ['error500', 'error'],
      ['malformed', 'malformed'],
    ] as const)('an embedding endpoint answering %s falls back to lexical retrieval, counted', async (mode, result) => {
      const { platform } = ctx();
      const org = await orgsService(platform).create({ slug: `hy-${randomUUID().slice(0, 6)}`, name: 'H' });
      const kb = knowledgeService(platform);
      for (const a of [REFUND, SHIPPING, PASSWORD]) await kb.create(actorOf(org.id), a);
      await embeddingsSettled(platform, org.id);
      const fallbacks = await metric(platform, 'ai_embedding_fallbacks_total');
      const failed = await metric(platform, 'ai_embedding_requests_total', { kind: 'query', result });

      fake.mode = mode;
      const q = 'when are refunds paid';
      const r = await kb.retrieve(org.id, q);
      expect(r).toEqual((await kb.index(org.id)).search(q));
      expect(r.hits[0]?.title).toBe('Refund policy');
      expect(r.hits.every((h) => h.similarity === undefined)).toBe(true);
      expect((await kb.retrieve(org.id, MEANING_ONLY)).hits).toEqual([]);
      expect(await metric(platform, 'ai_embedding_fallbacks_total')).toBe(fallbacks + 2);
      expect(await metric(platform, 'ai_embedding_requests_total', { kind: 'query', result })).toBe(failed + 2);
    });

    it('a failing endpoint fails the passage task (counted, retried later), not the article write', async () => {
      const { platform } = ctx();
      const org = await orgsService(platform).create({ slug: `hy-${randomUUID().slice(0, 6)}`, name: 'H' });
      fake.mode = 'error500';
      const article = await knowledgeService(platform).create(actorOf(org.id), REFUND);
      expect(article.title).toBe('Refund policy');
      await vi.waitFor(
        async () => {
          const { items } = await platform.jobs.list({ orgId: org.id, type: EMBED_TASK });
          expect(items[0]?.attempts).toBeGreaterThanOrEqual(1);
          expect(items[0]?.state).not.toBe('running');
        },
        { timeout: 15_000, interval: 20 },
      );
      expect(await metric(platform, 'ai_embedding_requests_total', { kind: 'passages', result: 'error' })).toBe(1);
    });
  },
  { AI_EMBEDDING_MODEL: 'bag-of-concepts', AI_EMBEDDING_BASE_URL: embeddingUrl, AI_EMBEDDING_API_KEY: 'emb-key' },
);

describe('vector ranking and fusion', () => {
  it('fuses rankings by reciprocal rank: agreement wins, ties keep the lexical order', () => {
    expect(
      reciprocalRankFusion([
        ['a', 'b', 'c'],
        ['b', 'c', 'a'],
      ]),
    ).toEqual(['b', 'a', 'c']);
    expect(reciprocalRankFusion([['a', 'b'], []])).toEqual(['a', 'b']);
    expect(reciprocalRankFusion([['a'], ['z']])).toEqual(['a', 'z']);
  });

  it('ranks by the best passage and ignores vectors of passages an article no longer has', () => {
    const ix = new VectorIndex();
    ix.setPassages('x', ['h1', 'h2']);
    ix.addVector('x', 'h1', Float32Array.from([1, 0]));
    expect(ix.missing('x')).toBe(true);
    ix.addVector('x', 'h2', Float32Array.from([0, 1]));
    ix.setPassages('y', ['h3']);
    ix.addVector('y', 'stale', Float32Array.from([0.6, 0.8]));
    expect(ix.missing('y')).toBe(true);
    ix.addVector('y', 'h3', Float32Array.from([0.6, 0.8]));
    expect(ix.rank(Float32Array.from([0, 1]), 5)).toEqual([
      { articleId: 'x', similarity: 1, passageIndex: 1 },
      { articleId: 'y', similarity: expect.closeTo(0.8, 5), passageIndex: 0 },
    ]);
    ix.setPassages('x', ['h2', 'h9']);
    expect(ix.rank(Float32Array.from([0, 1]), 1)).toEqual([{ articleId: 'x', similarity: 1, passageIndex: 0 }]);
    ix.remove('x');
    expect(ix.size).toBe(1);
  });

  it('without an embedding model nothing is embedded and the config refuses a model with no endpoint', () => {
    expect(testConfig().ai.embedding).toBeUndefined();
    expect(() => testConfig({ AI_EMBEDDING_MODEL: 'm' })).toThrow(/AI_EMBEDDING_MODEL: needs/);
    expect(() =>
      testConfig({ AI_PROVIDER: 'anthropic', AI_MODEL: 'c', AI_API_KEY: 'k', AI_EMBEDDING_MODEL: 'm' }),
    ).toThrow(/AI_EMBEDDING_MODEL/);
    expect(
      testConfig({ AI_BASE_URL: embeddingUrl, AI_MODEL: 'c', AI_API_KEY: 'k', AI_EMBEDDING_MODEL: 'm' }).ai.embedding,
    ).toEqual({
      baseUrl: embeddingUrl,
      apiKey: 'k',
      model: 'm',
    });
  });
});
