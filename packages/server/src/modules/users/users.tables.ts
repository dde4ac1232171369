import type { Role } from '@switchboard/protocol';
import type { ColumnType } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migration.js';

export interface UsersTable {
  id: string;
  orgId: string;
  /** Lowercase; unique per org. Visitors get a reserved `@visitors.invalid` address (never mailed). */
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
  /** 1 active, 0 deactivated (an integer so SQLite and PostgreSQL bind it alike). */
  active: number;
  createdAt: number;
  updatedAt: number;
  /** `user` signs in with a password; `visitor` is a widget customer. */
  kind: ColumnType<'user' | 'visitor', 'user' | 'visitor' | undefined, 'user' | 'visitor'>;
  /** sha256 of an anonymous visitor's id (the id is a bearer credential held by the widget). */
  visitorIdHash: ColumnType<string | null, string | null | undefined, string | null>;
  /** The org site's own user id a verified widget identity is bound to. */
  externalId: ColumnType<string | null, string | null | undefined, string | null>;
  /** sha256 of a pending invite token. */
  inviteTokenHash: ColumnType<string | null, string | null | undefined, string | null>;
  inviteExpiresAt: ColumnType<number | null, number | null | undefined, number | null>;
  /** The email a widget visitor left (pre-chat form or away message); shown to staff, never used to sign in. */
  contactEmail: ColumnType<string | null, string | null | undefined, string | null>;
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
  {
    name: '0101_users_identity',
    async up(db) {
      await db.schema
        .alterTable('users')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('user'))
        .execute();
      for (const col of ['visitorIdHash', 'externalId', 'inviteTokenHash']) {
        await db.schema.alterTable('users').addColumn(col, 'text').execute();
      }
      await db.schema.alterTable('users').addColumn('inviteExpiresAt', 'bigint').execute();
      // NULLs never collide in a unique index (SQLite and PostgreSQL alike): only set values are unique.
      await db.schema.createIndex('users_visitor_unique').on('users').column('visitorIdHash').unique().execute();
      await db.schema
        .createIndex('users_org_external_unique')
        .on('users')
        .columns(['orgId', 'externalId'])
        .unique()
        .execute();
      await db.schema.createIndex('users_invite_unique').on('users').column('inviteTokenHash').unique().execute();
      await db.schema.createIndex('users_org_created_idx').on('users').columns(['orgId', 'createdAt', 'id']).execute();
    },
  },
  {
    name: '1040_users_contact_email',
    async up(db) {
      await db.schema.alterTable('users').addColumn('contactEmail', 'text').execute();
    },
  },
];
