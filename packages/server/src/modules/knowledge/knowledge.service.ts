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
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { decodeVector, EMBED_TASK, type Embedder, embedder, encodeVector, passageInputs } from './embeddings.js';
import { type ArticleRow, knowledgeRepo, toArticle } from './knowledge.repo.js';
import { LexicalIndex, type RetrievalResult } from './lexical-index.js';
import { terms } from './text.js';
import { VECTOR_DEPTH, VectorIndex } from './vector-index.js';

interface OrgIndex {
  index: LexicalIndex;
  /** The newest `updatedAt` applied; the next sync reads rows at or past it. */
  mark: number;
  /** Hybrid retrieval only: passage vectors, caught up the same way on `embeddedAt`. */
  vectors?: VectorIndex;
  vectorMark: number;
  syncing?: Promise<void>;
}

const MAX_PHRASINGS = 200;
const MAX_PHRASING_CHARS = 500;

const indexes = new WeakMap<Platform, Map<string, OrgIndex>>();
const embedders = new WeakMap<Platform, Embedder | null>();

/** The platform's embedding client, built once (its counters live on the platform's registry). */
function embedderOf(platform: Platform): Embedder | undefined {
  let e = embedders.get(platform);
  if (e === undefined) {
    e = embedder(platform.config.ai, platform.metrics.registry) ?? null;
    embedders.set(platform, e);
  }
  return e ?? undefined;
}

/**
 * The knowledge base: articles and each org's lexical index. The index lives in memory per process and
 * catches up before each search by reading only the rows changed since its mark (deletes are soft for
 * this), so an edit on any node reaches every node's index without a rebuild. With an embedding model
 * (`AI_EMBEDDING_MODEL`) each changed article's passages are embedded by a task and stored; the vectors
 * are caught up the same way, and retrieval fuses the lexical and vector rankings (docs/ai.md).
 */
export function knowledgeService(platform: Platform) {
  const repo = knowledgeRepo(platform.database);
  let perOrg = indexes.get(platform);
  if (!perOrg) {
    perOrg = new Map();
    indexes.set(platform, perOrg);
  }
  const orgIndexes = perOrg;
  const emb = embedderOf(platform);

  async function sync(orgId: string): Promise<OrgIndex> {
    let entry = orgIndexes.get(orgId);
    if (!entry) {
      entry = { index: new LexicalIndex(), mark: 0, vectorMark: 0, ...(emb ? { vectors: new VectorIndex() } : {}) };
      orgIndexes.set(orgId, entry);
    }
    const e = entry;
    // One catch-up at a time per org; concurrent searches wait for it.
    while (e.syncing) await e.syncing;
    e.syncing = (async () => {
      const changed = await repo.changedSince(orgId, e.mark);
      for (const row of changed) {
        if (row.deletedAt !== null || row.published !== 1) {
          e.index.remove(row.id);
          e.vectors?.remove(row.id);
        } else {
          e.index.upsert({
            id: row.id,
            title: row.title,
            body: row.body,
            topics: JSON.parse(row.topics),
            phrasings: JSON.parse(row.phrasings),
            translations: JSON.parse(row.translations),
          });
          if (emb)
            e.vectors?.setPassages(
              row.id,
              passageInputs(row, emb.model).map((p) => p.hash),
            );
        }
        e.mark = Math.max(e.mark, Number(row.updatedAt));
      }
      if (!e.vectors || !emb) return;
      for (const v of await repo.embeddingsSince(orgId, e.vectorMark)) {
        e.vectors.addVector(v.articleId, v.hash, decodeVector(v.vector));
        e.vectorMark = Math.max(e.vectorMark, Number(v.embeddedAt));
      }
      for (const row of changed) {
        if (!e.vectors.missing(row.id)) continue;
        // Vectors stored before this node's mark (a republished article, a text changed back): load them.
        for (const v of await repo.embeddingsOf(orgId, row.id))
          e.vectors.addVector(v.articleId, v.hash, decodeVector(v.vector));
        // Still without (first start with an embedding model, a model change, an import from the CLI): embed
        // it. The key makes every node ask once per version of the article.
        if (e.vectors.missing(row.id)) await scheduleEmbedding(orgId, row.id, Number(row.updatedAt));
      }
    })().finally(() => {
      e.syncing = undefined;
    });
    await e.syncing;
    return e;
  }

  /** Queue the embedding task of one article version (hybrid retrieval only). */
  async function scheduleEmbedding(orgId: string, articleId: string, version: number): Promise<void> {
    if (!emb) return;
    await platform.jobs.submit({
      type: EMBED_TASK,
      orgId,
      payload: { orgId, articleId },
      // Per model too: after a change of model the same article version must be embedded again.
      idempotencyKey: `embed:${emb.model}:${articleId}:${version}`,
    });
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
      translations: JSON.stringify(data.translations),
    };
    await repo.insert(row);
    await scheduleEmbedding(orgId, row.id, now);
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
        ...(patch.translations !== undefined ? { translations: JSON.stringify(patch.translations) } : {}),
        updatedAt: changeTime(Number(row.updatedAt)),
      };
      await repo.update(actor.orgId, id, next);
      if (patch.title !== undefined || patch.body !== undefined)
        await scheduleEmbedding(actor.orgId, id, Number(next.updatedAt));
      return toArticle({ ...row, ...next });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const row = await require(actor.orgId, id);
      const at = changeTime(Number(row.updatedAt));
      await repo.update(actor.orgId, id, { deletedAt: at, updatedAt: at });
      await scheduleEmbedding(actor.orgId, id, at);
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
          const at = changeTime(Number(existing.updatedAt));
          await repo.update(orgId, existing.id, {
            title: a.title,
            body: a.body,
            topics: JSON.stringify(a.topics ?? []),
            published: a.published === false ? 0 : 1,
            translations: JSON.stringify(a.translations ?? []),
            deletedAt: null,
            updatedAt: at,
          });
          if (existing.title !== a.title || existing.body !== a.body || existing.deletedAt !== null)
            await scheduleEmbedding(orgId, existing.id, at);
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

    /**
     * The best published articles for a question, from the org's up-to-date index: hybrid (lexical and
     * vector rankings fused) when an embedding model is configured and the question could be embedded,
     * lexical otherwise.
     */
    async retrieve(orgId: string, question: string, limit = 5): Promise<RetrievalResult> {
      const { index, vectors } = await sync(orgId);
      const lexicalOnly = !emb || !vectors?.size || !index.size || !terms(question).length;
      const q = lexicalOnly ? undefined : await emb.embedQuery(question);
      return index.search(question, limit, q && vectors ? vectors.rank(q, VECTOR_DEPTH) : undefined);
    },

    /**
     * The task: store vectors for the passages of the article's current text that have none, and drop
     * those of passages it no longer has (all of them once it is deleted). Only changed passages cost a
     * call to the embedding endpoint.
     */
    async embedArticle(orgId: string, articleId: string): Promise<{ embedded: number; removed: number }> {
      if (!emb) return { embedded: 0, removed: 0 };
      const row = await repo.find(orgId, articleId);
      const passages = row ? passageInputs(row, emb.model) : [];
      const have = new Set((await repo.embeddingsOf(orgId, articleId)).map((r) => r.hash));
      const todo = [...new Map(passages.filter((p) => !have.has(p.hash)).map((p) => [p.hash, p])).values()];
      if (todo.length) {
        const vectors = await emb.embedPassages(todo.map((p) => p.text));
        const at = platform.clock.now();
        await repo.insertEmbeddings(
          todo.map((p, i) => ({
            orgId,
            articleId,
            hash: p.hash,
            model: emb.model,
            dims: vectors[i]?.length ?? 0,
            vector: encodeVector(vectors[i] ?? []),
            embeddedAt: at,
          })),
        );
      }
      const removed = await repo.deleteEmbeddings(
        orgId,
        articleId,
        passages.map((p) => p.hash),
      );
      return { embedded: todo.length, removed };
    },

    /** The org's index (caught up), for callers that search many times. */
    index: async (orgId: string): Promise<LexicalIndex> => (await sync(orgId)).index,
  };
}
export type KnowledgeService = ReturnType<typeof knowledgeService>;
