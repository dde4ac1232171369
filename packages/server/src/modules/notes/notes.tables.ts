import type { ModuleMigration } from '../../platform/db/migration.js';

/** Private notes of support conversations: staff only, never conversation events. */
export interface SupportNotesTable {
  id: string;
  orgId: string;
  conversationId: string;
  authorId: string;
  /** `note` (written by staff) or `summary` (written by the AI on handoff or transfer). */
  kind: string;
  text: string;
  createdAt: number;
}

export interface NotesTables {
  supportNotes: SupportNotesTable;
}

export const notesMigrations: ModuleMigration[] = [
  {
    name: '1010_notes_create',
    async up(db) {
      await db.schema
        .createTable('supportNotes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('conversationId', 'text', (c) => c.notNull())
        .addColumn('authorId', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('support_notes_conversation')
        .on('supportNotes')
        .columns(['orgId', 'conversationId', 'createdAt'])
        .execute();
    },
  },
];
