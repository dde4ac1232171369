import type { ModuleMigration } from '../../platform/db/migrations.js';

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
}

export interface KnowledgeTables {
  kbArticles: KbArticlesTable;
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
];
