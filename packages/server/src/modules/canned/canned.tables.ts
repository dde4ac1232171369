import type { ModuleMigration } from '../../platform/db/migration.js';

/** Canned responses: the org's (`ownerKey` '') and each staff member's own (`ownerKey` = their id). */
export interface CannedResponsesTable {
  id: string;
  orgId: string;
  /** '' for an org-wide response, else the owner's user id (a plain string, so the unique index holds). */
  ownerKey: string;
  shortcut: string;
  title: string;
  text: string;
  createdAt: number;
  updatedAt: number;
}

export interface CannedTables {
  cannedResponses: CannedResponsesTable;
}

export const cannedMigrations: ModuleMigration[] = [
  {
    name: '1000_canned_create',
    async up(db) {
      await db.schema
        .createTable('cannedResponses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('ownerKey', 'text', (c) => c.notNull())
        .addColumn('shortcut', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('canned_responses_shortcut')
        .on('cannedResponses')
        .columns(['orgId', 'ownerKey', 'shortcut'])
        .unique()
        .execute();
    },
  },
];
