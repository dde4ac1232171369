import { compiledInsert } from '../../platform/db/compiled-query.js';
import type { Database } from '../../platform/db/database.js';
import type { UserPresenceTable } from './presence.tables.js';

export type StoredPresence = Pick<UserPresenceTable, 'userId' | 'lastSeen' | 'chosenStatus'>;

const upsertLastSeen = compiledInsert(
  (db, rows: { orgId: string; userId: string; lastSeen: number; updatedAt: number }[]) =>
    db
      .insertInto('userPresence')
      .values(rows.map((r) => ({ ...r, chosenStatus: null })))
      .onConflict((oc) =>
        oc.columns(['orgId', 'userId']).doUpdateSet((eb) => ({
          lastSeen: eb.ref('excluded.lastSeen'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      ),
);

/** The only code touching `user_presence`; every query is scoped by org. */
export function presenceRepo({ db }: Database) {
  return {
    async find(orgId: string, userId: string): Promise<StoredPresence | undefined> {
      return db
        .selectFrom('userPresence')
        .select(['userId', 'lastSeen', 'chosenStatus'])
        .where('orgId', '=', orgId)
        .where('userId', '=', userId)
        .executeTakeFirst();
    },
    /**
     * Upsert many lastSeen values (the sweep batches a whole window's heartbeats). A compiled statement per
     * shape: building one 500-row insert through Kysely every few seconds made thousands of objects at once,
     * and those sites reached the old generation (docs/performance.md). Chunks of 500 rows keep a PostgreSQL
     * statement under its parameter limit.
     */
    async saveLastSeenMany(rows: { orgId: string; userId: string; lastSeen: number }[], now: number) {
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows
          .slice(i, i + 500)
          .map((r) => ({ orgId: r.orgId, userId: r.userId, lastSeen: r.lastSeen, updatedAt: now }));
        await upsertLastSeen(db, chunk);
      }
    },
    async saveChosen(orgId: string, userId: string, chosenStatus: 'away' | 'busy' | null, now: number) {
      await db
        .insertInto('userPresence')
        .values({ orgId, userId, lastSeen: null, chosenStatus, updatedAt: now })
        .onConflict((oc) => oc.columns(['orgId', 'userId']).doUpdateSet({ chosenStatus, updatedAt: now }))
        .execute();
    },
  };
}
export type PresenceRepo = ReturnType<typeof presenceRepo>;
