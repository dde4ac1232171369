import type { ModuleMigration } from '../../platform/db/migration.js';

/** One row per org that changed its support settings; an org without one gets the defaults. */
export interface SupportSettingsTable {
  orgId: string;
  timezone: string;
  /** 1: business hours apply; 0: always open. */
  hoursEnabled: number;
  /** JSON array of `OpeningRange` (portable: text on SQLite and PostgreSQL alike). */
  hours: string;
  awayMessage: string;
  prechatName: number;
  prechatEmail: number;
  updatedAt: number;
}

export interface SupportHoursTables {
  support_settings: SupportSettingsTable;
}

export const supportHoursMigrations: ModuleMigration[] = [
  {
    name: '1041_support_settings_create',
    async up(db) {
      await db.schema
        .createTable('support_settings')
        .addColumn('orgId', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('hoursEnabled', 'integer', (c) => c.notNull())
        .addColumn('hours', 'text', (c) => c.notNull())
        .addColumn('awayMessage', 'text', (c) => c.notNull())
        .addColumn('prechatName', 'integer', (c) => c.notNull())
        .addColumn('prechatEmail', 'integer', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
];
