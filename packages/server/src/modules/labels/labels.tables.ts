import type { ModuleMigration } from '../../platform/db/migration.js';

export interface LabelsTable {
  id: string;
  orgId: string;
  name: string;
  /** Lower-cased name: unique per org. */
  nameKey: string;
  color: string;
  createdAt: number;
}

export interface ConversationLabelsTable {
  orgId: string;
  conversationId: string;
  labelId: string;
  createdAt: number;
}

export interface LabelsTables {
  labels: LabelsTable;
  conversationLabels: ConversationLabelsTable;
}

export const labelsMigrations: ModuleMigration[] = [
  {
    name: '1020_labels_create',
    async up(db) {
      await db.schema
        .createTable('labels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('nameKey', 'text', (c) => c.notNull())
        .addColumn('color', 'text', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('labels_org_name').on('labels').columns(['orgId', 'nameKey']).unique().execute();
      await db.schema
        .createTable('conversationLabels')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('conversationId', 'text', (c) => c.notNull())
        .addColumn('labelId', 'text', (c) => c.notNull().references('labels.id').onDelete('cascade'))
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('conversation_labels_pk', ['conversationId', 'labelId'])
        .execute();
      await db.schema
        .createIndex('conversation_labels_org_label')
        .on('conversationLabels')
        .columns(['orgId', 'labelId'])
        .execute();
    },
  },
];
