import type { Article, ArticleTranslation } from '@switchboard/protocol';
import type { Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { KbArticlesTable, KbEmbeddingsTable } from './knowledge.tables.js';

export type ArticleRow = Selectable<KbArticlesTable>;
export type EmbeddingRow = Selectable<KbEmbeddingsTable>;

export function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    topics: JSON.parse(row.topics) as string[],
    published: row.published === 1,
    phrasings: JSON.parse(row.phrasings) as string[],
    translations: JSON.parse(row.translations) as ArticleTranslation[],
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
  };
}

export function knowledgeRepo({ db }: Database) {
  return {
    async insert(row: ArticleRow): Promise<void> {
      await db.insertInto('kbArticles').values(row).execute();
    },
    async find(orgId: string, id: string): Promise<ArticleRow | undefined> {
      return db
        .selectFrom('kbArticles')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .where('deletedAt', 'is', null)
        .executeTakeFirst();
    },
    async findByExternalId(orgId: string, externalId: string): Promise<ArticleRow | undefined> {
      return db
        .selectFrom('kbArticles')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('externalId', '=', externalId)
        .executeTakeFirst();
    },
    async list(orgId: string): Promise<ArticleRow[]> {
      return db
        .selectFrom('kbArticles')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('deletedAt', 'is', null)
        .orderBy('title')
        .execute();
    },
    /** Rows changed at or after `since` (deleted ones too), oldest change first. */
    async changedSince(orgId: string, since: number): Promise<ArticleRow[]> {
      return db
        .selectFrom('kbArticles')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('updatedAt', '>=', since)
        .orderBy('updatedAt')
        .execute();
    },
    async update(orgId: string, id: string, patch: Partial<ArticleRow>): Promise<void> {
      await db.updateTable('kbArticles').set(patch).where('orgId', '=', orgId).where('id', '=', id).execute();
    },
    /** The stored vectors of one article's passages. */
    async embeddingsOf(orgId: string, articleId: string): Promise<EmbeddingRow[]> {
      return db
        .selectFrom('kbEmbeddings')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('articleId', '=', articleId)
        .execute();
    },
    async insertEmbeddings(rows: EmbeddingRow[]): Promise<void> {
      if (!rows.length) return;
      // A retried task may race another node's run of it: the same passage is the same vector.
      await db
        .insertInto('kbEmbeddings')
        .values(rows)
        .onConflict((oc) => oc.columns(['articleId', 'hash']).doNothing())
        .execute();
    },
    /** Drop an article's vectors except those of `keep` (its current passages); all of them when empty. */
    async deleteEmbeddings(orgId: string, articleId: string, keep: readonly string[]): Promise<number> {
      let q = db.deleteFrom('kbEmbeddings').where('orgId', '=', orgId).where('articleId', '=', articleId);
      if (keep.length) q = q.where('hash', 'not in', keep);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    /** Vectors stored at or after `since`, oldest first (the in-memory vector index catches up on them). */
    async embeddingsSince(orgId: string, since: number): Promise<EmbeddingRow[]> {
      return db
        .selectFrom('kbEmbeddings')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('embeddedAt', '>=', since)
        .orderBy('embeddedAt')
        .execute();
    },
  };
}
