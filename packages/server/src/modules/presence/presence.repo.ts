import type { Database } from '../../platform/db/database.js';
import type { UserPresenceTable } from './presence.tables.js';

export type StoredPresence = Pick<UserPresenceTable, 'userId' | 'lastSeen' | 'chosenStatus'>;

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
    /** Upsert many lastSeen values in a few statements (the sweep batches a whole window's heartbeats). */
    async saveLastSeenMany(rows: { orgId: string; userId: string; lastSeen: number }[], now: number) {
      for (let i = 0; i < rows.length; i += 500) {
        const values = rows.slice(i, i + 500).map((r) => ({ ...r, chosenStatus: null, updatedAt: now }));
        await db
          .insertInto('userPresence')
          .values(values)
          .onConflict((oc) =>
            oc.columns(['orgId', 'userId']).doUpdateSet((eb) => ({
              lastSeen: eb.ref('excluded.lastSeen'),
              updatedAt: eb.ref('excluded.updatedAt'),
            })),
          )
          .execute();
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
