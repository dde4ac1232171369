import type { ModuleMigration } from '../../platform/db/migrations.js';

export interface OrgsTable {
  id: string;
  slug: string;
  name: string;
  createdAt: number;
}

export interface OrgsTables {
  orgs: OrgsTable;
}

export const orgsMigrations: ModuleMigration[] = [
  {
    name: '0001_orgs_create',
    async up(db) {
      await db.schema
        .createTable('orgs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
];
