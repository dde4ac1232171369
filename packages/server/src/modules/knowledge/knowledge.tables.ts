import type { ModuleMigration } from '../../platform/db/migration.js';

export interface KbArticlesTable {
  id: string;
  orgId: string;
  title: string;
  body: string;
  /** JSON array of topic tags. */
  topics: string;
  published: number;
  /** Set by an import that carries ids of its own, so re-importing updates instead of duplicating. */
  externalId: string | null;
  createdBy: string | null;
  createdAt: number;
  /** Every change (deletion included) moves this forward: the index catches up by reading rows past its mark. */
  updatedAt: number;
  /** Soft delete, so other nodes' indexes see the removal. */
  deletedAt: number | null;
  /** JSON array of customer questions this article answered (learned from approved drafts), indexed too. */
  phrasings: string;
  /** JSON array of `{ lang, title, body }`: the article in other languages, indexed beside it. */
  translations: string;
}

/**
 * One embedded passage of an article (hybrid retrieval). Content-addressed: `hash` covers the embedding
 * model and the embedded text, so an edit re-embeds only the passages whose text changed, and a change of
 * model re-embeds everything without mixing vector spaces.
 */
export interface KbEmbeddingsTable {
  orgId: string;
  articleId: string;
  hash: string;
  model: string;
  dims: number;
  /** Float32 little-endian, base64: portable text on SQLite and PostgreSQL, 4× smaller than JSON numbers. */
  vector: string;
  /** The in-memory vector indexes catch up by reading rows past their mark, like the lexical one. */
  embeddedAt: number;
}

export interface KnowledgeTables {
  kbArticles: KbArticlesTable;
  kbEmbeddings: KbEmbeddingsTable;
}

export const knowledgeMigrations: ModuleMigration[] = [
  {
    name: '0500_knowledge_articles',
    async up(db) {
      await db.schema
        .createTable('kbArticles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('topics', 'text', (c) => c.notNull())
        .addColumn('published', 'integer', (c) => c.notNull())
        .addColumn('externalId', 'text')
        .addColumn('createdBy', 'text')
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .addColumn('deletedAt', 'bigint')
        .execute();
      await db.schema.createIndex('kb_articles_org_updated').on('kbArticles').columns(['orgId', 'updatedAt']).execute();
      await db.schema
        .createIndex('kb_articles_org_external')
        .on('kbArticles')
        .columns(['orgId', 'externalId'])
        .unique()
        .execute();
    },
  },
  {
    name: '0501_knowledge_phrasings',
    async up(db) {
      await db.schema
        .alterTable('kbArticles')
        .addColumn('phrasings', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
    },
  },
  {
    name: '1060_knowledge_translations',
    async up(db) {
      await db.schema
        .alterTable('kbArticles')
        .addColumn('translations', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
    },
  },
  {
    // Numbered after every other module's migration so databases already migrated stay in order.
    name: '0950_knowledge_embeddings',
    async up(db) {
      await db.schema
        .createTable('kbEmbeddings')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('articleId', 'text', (c) => c.notNull().references('kbArticles.id').onDelete('cascade'))
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('dims', 'integer', (c) => c.notNull())
        .addColumn('vector', 'text', (c) => c.notNull())
        .addColumn('embeddedAt', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('kb_embeddings_pk', ['articleId', 'hash'])
        .execute();
      await db.schema.createIndex('kb_embeddings_org_at').on('kbEmbeddings').columns(['orgId', 'embeddedAt']).execute();
    },
  },
];
