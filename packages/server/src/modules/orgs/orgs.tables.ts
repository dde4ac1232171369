import { randomBytes } from 'node:crypto';
import type { ModuleMigration } from '../../platform/db/migration.js';

export interface OrgsTable {
  id: string;
  slug: string;
  name: string;
  createdAt: number;
  /** Public key the chat widget sends to start a visitor session; unique across orgs. */
  widgetKey: string;
  /** HMAC-SHA256 key the org's site signs its user ids with (widget identity verification). */
  widgetSecret: string;
}

export interface OrgsTables {
  orgs: OrgsTable;
}

export function newWidgetKey(): string {
  return `wk_${randomBytes(18).toString('base64url')}`;
}

export function newWidgetSecret(): string {
  return randomBytes(32).toString('hex');
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
  {
    name: '0100_orgs_widget',
    async up(db) {
      // SQLite cannot add a NOT NULL column without a constant default: add nullable, fill every existing
      // org with its own random values; the service always sets both on insert.
      await db.schema.alterTable('orgs').addColumn('widgetKey', 'text').execute();
      await db.schema.alterTable('orgs').addColumn('widgetSecret', 'text').execute();
      const rows: { id: string }[] = await db.selectFrom('orgs').select('id').execute();
      for (const { id } of rows) {
        await db
          .updateTable('orgs')
          .set({ widgetKey: newWidgetKey(), widgetSecret: newWidgetSecret() })
          .where('id', '=', id)
          .execute();
      }
      await db.schema.createIndex('orgs_widget_key_unique').on('orgs').column('widgetKey').unique().execute();
    },
  },
];
