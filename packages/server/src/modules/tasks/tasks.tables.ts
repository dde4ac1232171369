import type { ModuleMigration } from '../../platform/db/migration.js';

/** An org's allow-list of public task types; no row means the default set. */
export interface TaskOrgTypesTable {
  orgId: string;
  /** JSON array of type names. */
  types: string;
  updatedAt: number;
}

/** Signatures of external-worker callbacks seen within the freshness window, to refuse replays. */
export interface TaskCallbackNoncesTable {
  signature: string;
  expiresAt: number;
}

export interface TasksTables {
  taskOrgTypes: TaskOrgTypesTable;
  taskCallbackNonces: TaskCallbackNoncesTable;
}

export const tasksMigrations: ModuleMigration[] = [
  {
    name: '0310_tasks_org_types',
    async up(db) {
      await db.schema
        .createTable('task_org_types')
        .addColumn('orgId', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
        .addColumn('types', 'text', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '0311_tasks_callback_nonces',
    async up(db) {
      await db.schema
        .createTable('task_callback_nonces')
        .addColumn('signature', 'text', (c) => c.primaryKey())
        .addColumn('expiresAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('task_callback_nonces_exp_idx')
        .on('task_callback_nonces')
        .column('expiresAt')
        .execute();
    },
  },
];
