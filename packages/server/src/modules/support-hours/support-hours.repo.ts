import type { Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { SupportSettingsTable } from './support-hours.tables.js';

export type SupportSettingsRow = Selectable<SupportSettingsTable>;

export function supportHoursRepo({ db }: Database) {
  return {
    async find(orgId: string): Promise<SupportSettingsRow | undefined> {
      return db.selectFrom('support_settings').selectAll().where('orgId', '=', orgId).executeTakeFirst();
    },
    async upsert(row: SupportSettingsRow): Promise<void> {
      const { orgId, ...rest } = row;
      await db
        .insertInto('support_settings')
        .values(row)
        .onConflict((oc) => oc.column('orgId').doUpdateSet(rest))
        .execute();
    },
  };
}
