import type { ModuleMigration } from '../../platform/db/migration.js';

/** AI drafts waiting for (or decided by) a person. */
export interface ApprovalsTable {
  id: string;
  orgId: string;
  conversationId: string;
  /** The customer message the draft answers; unique, so a retried draft task makes no second item. */
  questionMessageId: string;
  question: string;
  questionAt: number;
  draft: string;
  confidence: number;
  reason: string;
  /** JSON array of {articleId, title, passage}. */
  sources: string;
  state: string;
  claimedBy: string | null;
  claimExpiresAt: number | null;
  decidedBy: string | null;
  decidedAt: number | null;
  finalText: string | null;
  rejectReason: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface ApprovalsTables {
  approvals: ApprovalsTable;
}

export const approvalsMigrations: ModuleMigration[] = [
  {
    name: '0520_approvals_create',
    async up(db) {
      await db.schema
        .createTable('approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('conversationId', 'text', (c) => c.notNull())
        .addColumn('questionMessageId', 'text', (c) => c.notNull().unique())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('questionAt', 'bigint', (c) => c.notNull())
        .addColumn('draft', 'text', (c) => c.notNull())
        .addColumn('confidence', 'real', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('sources', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('claimedBy', 'text')
        .addColumn('claimExpiresAt', 'bigint')
        .addColumn('decidedBy', 'text')
        .addColumn('decidedAt', 'bigint')
        .addColumn('finalText', 'text')
        .addColumn('rejectReason', 'text')
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('expiresAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('approvals_org_state')
        .on('approvals')
        .columns(['orgId', 'state', 'createdAt'])
        .execute();
    },
  },
];
