import { randomUUID } from 'node:crypto';
import {
  type Article,
  type CreateArticle,
  CreateArticleSchema,
  type ImportArticles,
  ImportArticlesSchema,
  type UpdateArticle,
  UpdateArticleSchema,
} from '@switchboard/protocol';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/access.js';
import type { Platform } from '../../platform/platform.js';
import { type ArticleRow, knowledgeRepo, toArticle } from './knowledge.repo.js';
import { LexicalIndex, type RetrievalResult } from './lexical-index.js';

interface OrgIndex {
  index: LexicalIndex;
  /** The newest `updatedAt` applied; the next sync reads rows at or past it. */
  mark: number;
  syncing?: Promise<void>;
}

const MAX_PHRASINGS = 200;
const MAX_PHRASING_CHARS = 500;

const indexes = new WeakMap<Platform, Map<string, OrgIndex>>();

/**
 * The knowledge base: articles and each org's lexical index. The index lives in memory per process and
 * catches up before each search by reading only the rows changed since its mark (deletes are soft for
 * this), so an edit on any node reaches every node's index without a rebuild.
 */
export function knowledgeService(platform: Platform) {
  const repo = knowledgeRepo(platform.database);
  let perOrg = indexes.get(platform);
  if (!perOrg) {
    perOrg = new Map();
    indexes.set(platform, perOrg);
  }
  const orgIndexes = perOrg;

  async function sync(orgId: string): Promise<LexicalIndex> {
    let entry = orgIndexes.get(orgId);
    if (!entry) {
      entry = { index: new LexicalIndex(), mark: 0 };
      orgIndexes.set(orgId, entry);
    }
    const e = entry;
    // One catch-up at a time per org; concurrent searches wait for it.
    while (e.syncing) await e.syncing;
    e.syncing = (async () => {
      for (const row of await repo.changedSince(orgId, e.mark)) {
        if (row.deletedAt !== null || row.published !== 1) e.index.remove(row.id);
        else
          e.index.upsert({
            id: row.id,
            title: row.title,
            body: row.body,
            topics: JSON.parse(row.topics),
            phrasings: JSON.parse(row.phrasings),
          });
        e.mark = Math.max(e.mark, Number(row.updatedAt));
      }
    })().finally(() => {
      e.syncing = undefined;
    });
    await e.syncing;
    return e.index;
  }

  /** A change time strictly after the row's previous one, so the index mark always moves forward. */
  const changeTime = (prev?: number) => Math.max(platform.clock.now(), (prev ?? 0) + 1);

  async function insert(orgId: string, by: string | null, input: CreateArticle, externalId?: string) {
    const data = CreateArticleSchema.parse(input);
    const now = changeTime();
    const row: ArticleRow = {
      id: randomUUID(),
      orgId,
      title: data.title,
      body: data.body,
      topics: JSON.stringify(data.topics),
      published: data.published ? 1 : 0,
      externalId: externalId ?? null,
      createdBy: by,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      phrasings: '[]',
    };
    await repo.insert(row);
    return toArticle(row);
  }

  async function require(orgId: string, id: string): Promise<ArticleRow> {
    const row = await repo.find(orgId, id);
    if (!row) throw new AppError('not_found', 'no such article');
    return row;
  }

  return {
    list: async (actor: Actor): Promise<Article[]> => (await repo.list(actor.orgId)).map(toArticle),
    get: async (actor: Actor, id: string): Promise<Article> => toArticle(await require(actor.orgId, id)),
    create: (actor: Actor, input: CreateArticle): Promise<Article> => insert(actor.orgId, actor.userId, input),

    async update(actor: Actor, id: string, input: UpdateArticle): Promise<Article> {
      const patch = UpdateArticleSchema.parse(input);
      const row = await require(actor.orgId, id);
      const next: Partial<ArticleRow> = {
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.body !== undefined ? { body: patch.body } : {}),
        ...(patch.topics !== undefined ? { topics: JSON.stringify(patch.topics) } : {}),
        ...(patch.published !== undefined ? { published: patch.published ? 1 : 0 } : {}),
        ...(patch.phrasings !== undefined ? { phrasings: JSON.stringify(patch.phrasings) } : {}),
        updatedAt: changeTime(Number(row.updatedAt)),
      };
      await repo.update(actor.orgId, id, next);
      return toArticle({ ...row, ...next });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const row = await require(actor.orgId, id);
      const at = changeTime(Number(row.updatedAt));
      await repo.update(actor.orgId, id, { deletedAt: at, updatedAt: at });
    },

    /** Bulk import; an article with an `externalId` seen before updates that article. */
    async import(
      orgId: string,
      by: string | null,
      input: ImportArticles,
    ): Promise<{ created: number; updated: number }> {
      const { articles } = ImportArticlesSchema.parse(input);
      let created = 0;
      let updated = 0;
      for (const { externalId, ...a } of articles) {
        const existing = externalId ? await repo.findByExternalId(orgId, externalId) : undefined;
        if (existing) {
          await repo.update(orgId, existing.id, {
            title: a.title,
            body: a.body,
            topics: JSON.stringify(a.topics ?? []),
            published: a.published === false ? 0 : 1,
            deletedAt: null,
            updatedAt: changeTime(Number(existing.updatedAt)),
          });
          updated++;
        } else {
          await insert(orgId, by, a, externalId);
          created++;
        }
      }
      return { created, updated };
    },

    /**
     * Remember that `articleId` answered `question` (an agent approved the draft quoting it): later
     * paraphrases match the learned phrasing as well as the article. Bounded, newest kept.
     */
    async learn(orgId: string, articleId: string, question: string): Promise<void> {
      const row = await repo.find(orgId, articleId);
      const q = question.trim().slice(0, MAX_PHRASING_CHARS);
      if (!row || !q) return;
      const known = JSON.parse(row.phrasings) as string[];
      if (known.some((p) => p.toLowerCase() === q.toLowerCase())) return;
      const phrasings = [...known, q].slice(-MAX_PHRASINGS);
      await repo.update(orgId, articleId, {
        phrasings: JSON.stringify(phrasings),
        updatedAt: changeTime(Number(row.updatedAt)),
      });
    },

    /** The best published articles for a question, from the org's up-to-date index. */
    async retrieve(orgId: string, question: string, limit = 5): Promise<RetrievalResult> {
      return (await sync(orgId)).search(question, limit);
    },

    /** The org's index (caught up), for callers that search many times. */
    index: (orgId: string): Promise<LexicalIndex> => sync(orgId),
  };
}
export type KnowledgeService = ReturnType<typeof knowledgeService>;
