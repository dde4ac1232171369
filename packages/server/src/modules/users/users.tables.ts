import type { Role } from '@switchboard/protocol';
import type { ModuleMigration } from '../../platform/db/migrations.js';

export interface UsersTable {
  id: string;
  orgId: string;
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
  /** 1 active, 0 deactivated (an integer so SQLite and PostgreSQL bind it alike). */
  active: number;
  createdAt: number;
  updatedAt: number;
}

export interface UsersTables {
  users: UsersTable;
}

export const usersMigrations: ModuleMigration[] = [
  {
    name: '0002_users_create',
    async up(db) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('displayName', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('passwordHash', 'text')
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('users_org_email_unique', ['orgId', 'email'])
        .execute();
      await db.schema.createIndex('users_email_idx').on('users').column('email').execute();
    },
  },
];
