import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import { seedDemo } from '../../seed/demo.js';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import { describeStorage } from '../../test/storage.js';
import { builtinDraft } from '../assistant/responder.js';
import { orgsService } from '../orgs/orgs.service.js';
import { parseMarkdownArticle, readMarkdownFolder } from './import-dir.js';
import { knowledgeService } from './knowledge.service.js';
import { LexicalIndex } from './lexical-index.js';
import { chunk } from './text.js';

const actorOf = (orgId: string): Actor => ({
  userId: crypto.randomUUID(),
  orgId,
  role: 'admin',
  sessionId: 's',
  kind: 'user',
});
const top = async (svc: ReturnType<typeof knowledgeService>, orgId: string, q: string) =>
  (await svc.retrieve(orgId, q)).hits[0]?.title;

describeStorage('knowledge base', (ctx) => {
  it('keeps the index in step with create, update, unpublish and delete, per org', async () => {
    const { platform } = ctx();
    const org = await orgsService(platform).create({ slug: 'kb-a', name: 'A' });
    const other = await orgsService(platform).create({ slug: 'kb-b', name: 'B' });
    const kb = knowledgeService(platform);
    const admin = actorOf(org.id);
    const refund = await kb.create(admin, {
      title: 'Refund policy',
      body: 'Refunds are paid within 14 days.',
      topics: ['billing'],
    });
    await kb.create(admin, { title: 'Shipping times', body: 'Parcels arrive in three working days.' });
    expect(await top(kb, org.id, 'when do I get my refund')).toBe('Refund policy');
    expect((await kb.retrieve(other.id, 'when do I get my refund')).hits).toEqual([]);

    await kb.update(admin, refund.id, { title: 'Money back', body: 'Reimbursements take a fortnight.' });
    expect(await top(kb, org.id, 'reimbursements fortnight')).toBe('Money back');
    expect(await top(kb, org.id, 'refund')).toBeUndefined();

    await kb.update(admin, refund.id, { published: false });
    expect(await top(kb, org.id, 'reimbursements')).toBeUndefined();
    await kb.update(admin, refund.id, { published: true });
    expect(await top(kb, org.id, 'reimbursements')).toBe('Money back');
    await kb.remove(admin, refund.id);
    expect(await top(kb, org.id, 'reimbursements')).toBeUndefined();
    await expect(kb.get(admin, refund.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await kb.list(admin)).map((a) => a.title)).toEqual(['Shipping times']);
  });

  it('a translation is found by a question in its language and quoted in it; the article counts once', async () => {
    const { platform } = ctx();
    const org = await orgsService(platform).create({ slug: 'kb-lang', name: 'L' });
    const kb = knowledgeService(platform);
    const admin = actorOf(org.id);
    const refund = await kb.create(admin, {
      title: 'Refund policy',
      body: 'Refunds are paid to your card within 14 days of the return.',
      translations: [
        {
          lang: 'de',
          title: 'Rückerstattung',
          body: 'Rückerstattungen werden innerhalb von 14 Tagen nach der Rücksendung auf deine Karte gezahlt.',
        },
      ],
    });
    await kb.create(admin, { title: 'Shipping times', body: 'Parcels arrive in three working days.' });
    expect(refund.translations.map((t) => t.lang)).toEqual(['de']);

    const german = await kb.retrieve(org.id, 'Wann bekomme ich meine Rückerstattung?');
    expect(german.hits[0]).toMatchObject({ articleId: refund.id, lang: 'de', title: 'Rückerstattung' });
    expect(german.hits[0]?.passage).toContain('Tagen');
    expect(builtinDraft(german).text).toContain('Rückerstattungen werden');
    expect(german.hits.filter((h) => h.articleId === refund.id)).toHaveLength(1);
    const english = await kb.retrieve(org.id, 'when is my refund paid');
    expect(english.hits[0]).toMatchObject({ articleId: refund.id, title: 'Refund policy' });
    expect(english.hits[0]?.lang).toBeUndefined();

    await kb.update(admin, refund.id, { translations: [] });
    expect((await kb.retrieve(org.id, 'Wann bekomme ich meine Rückerstattung?')).hits[0]?.lang).toBeUndefined();
    await expect(
      kb.update(admin, refund.id, {
        translations: [
          { lang: 'de', title: 'a', body: 'b' },
          { lang: 'de', title: 'c', body: 'd' },
        ],
      }),
    ).rejects.toThrow(/one translation per language/);
    await expect(
      kb.update(admin, refund.id, { translations: [{ lang: 'German', title: 'a', body: 'b' }] }),
    ).rejects.toThrow(/language tag/);
  });

  it('reaches another node by reading only changed rows, and re-import updates instead of duplicating', async () => {
    const { platform } = ctx();
    const org = await orgsService(platform).create({ slug: 'kb-c', name: 'C' });
    const nodeA = knowledgeService(platform);
    // Another process: same database, its own in-memory index.
    const nodeB = knowledgeService({ ...platform });
    const articles = [{ title: 'Opening hours', body: 'We are open 9 to 5.', externalId: 'hours.md' }];
    expect(await nodeA.import(org.id, null, { articles })).toEqual({ created: 1, updated: 0 });
    expect(await top(nodeB, org.id, 'opening hours')).toBe('Opening hours');
    const changed = [{ title: 'Opening times', body: 'We are open 8 to 6.', externalId: 'hours.md' }];
    expect(await nodeA.import(org.id, null, { articles: changed })).toEqual({ created: 0, updated: 1 });
    expect(await top(nodeB, org.id, 'opening times')).toBe('Opening times');
    expect((await nodeB.index(org.id)).size).toBe(1);
  });
});

describeStorage('learned phrasings', (ctx) => {
  it('a learned question makes its paraphrase find the article, once per question, and is editable', async () => {
    const { platform } = ctx();
    const org = await orgsService(platform).create({ slug: 'kb-learn', name: 'L' });
    const kb = knowledgeService(platform);
    const admin = actorOf(org.id);
    const login = await kb.create(admin, { title: 'Signing in', body: 'Use the email address you registered with.' });
    await kb.create(admin, { title: 'Billing contact', body: 'Write to our accounts team about invoices.' });
    const q = 'I am locked out of my account';
    expect((await kb.retrieve(org.id, q)).hits.map((h) => h.title)).not.toContain('Signing in');
    await kb.learn(org.id, login.id, q);
    await kb.learn(org.id, login.id, q.toUpperCase());
    expect((await kb.get(admin, login.id)).phrasings).toEqual([q]);
    expect((await kb.retrieve(org.id, 'locked out of account')).hits[0]?.title).toBe('Signing in');
    await kb.update(admin, login.id, { phrasings: [] });
    expect((await kb.retrieve(org.id, 'locked out of account')).hits.map((h) => h.title)).not.toContain('Signing in');
  });
});

describeStorage('demo seed knowledge base', (ctx) => {
  it('gives the demo org Switchboard help articles the assistant can answer from', async () => {
    const { platform } = ctx();
    await seedDemo(platform);
    const demo = await orgsService(platform).getBySlug('demo');
    const kb = knowledgeService(platform);
    expect((await kb.list(actorOf(demo.id))).length).toBe(DEMO_ARTICLES.length);
    const r = await kb.retrieve(demo.id, 'I forgot my password');
    expect(r.hits[0]?.title).toBe('How do I reset or change my password?');
    expect(builtinDraft(r).confidence).toBeGreaterThanOrEqual(0.75);
    expect(builtinDraft(await kb.retrieve(demo.id, 'What is the weather in Paris?')).confidence).toBeLessThan(0.2);
  });
});

describe('knowledge text and import', () => {
  it('chunks by paragraphs near the target size and keeps short bodies whole', () => {
    const para = 'word '.repeat(50).trim();
    const chunks = chunk([para, para, para, para].join('\n\n'), 600);
    expect(chunks.length).toBe(2);
    expect(chunk('short')).toEqual(['short']);
  });

  it('replaces and removes articles in the lexical index', () => {
    const ix = new LexicalIndex();
    ix.upsert({ id: '1', title: 'Alpha', body: 'first text', topics: [] });
    ix.upsert({ id: '1', title: 'Beta', body: 'second text', topics: [] });
    expect(ix.search('alpha').hits).toEqual([]);
    expect(ix.search('beta').hits[0]?.articleId).toBe('1');
    ix.remove('1');
    expect(ix.size).toBe(0);
    expect(ix.search('beta').hits).toEqual([]);
  });

  it('reads a markdown folder: front matter, first heading, file name', async () => {
    expect(parseMarkdownArticle('a/b.md', '---\ntitle: Hello\ntopics: x, y\n---\nBody')).toMatchObject({
      title: 'Hello',
      topics: ['x', 'y'],
      body: 'Body',
      externalId: 'a/b.md',
      published: true,
    });
    expect(parseMarkdownArticle('c.md', '# Heading here\n\nText')).toMatchObject({
      title: 'Heading here',
      body: 'Text',
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kb-'));
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'sub', 'reset-password.md'), 'Open settings.');
    await writeFile(path.join(dir, 'notes.txt'), 'ignored');
    expect(await readMarkdownFolder(dir)).toEqual([
      {
        title: 'reset password',
        body: 'Open settings.',
        topics: [],
        published: true,
        externalId: 'sub/reset-password.md',
      },
    ]);
  });
});
