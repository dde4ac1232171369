import type { ModuleMigration } from '../../platform/db/migration.js';

/** What presence keeps across restarts: when a user was last seen and the status they chose. */
export interface UserPresenceTable {
  orgId: string;
  userId: string;
  /** Epoch ms of the last sign of life; written at most every 30 s per user. */
  lastSeen: number | null;
  /** `away` / `busy` chosen by the user, or null (automatic). */
  chosenStatus: 'away' | 'busy' | null;
  updatedAt: number;
}

export interface PresenceTables {
  userPresence: UserPresenceTable;
}

export const presenceMigrations: ModuleMigration[] = [
  {
    name: '0400_presence_create',
    async up(db) {
      await db.schema
        .createTable('userPresence')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('lastSeen', 'bigint')
        .addColumn('chosenStatus', 'text')
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_presence_pk', ['orgId', 'userId'])
        .execute();
    },
  },
];
