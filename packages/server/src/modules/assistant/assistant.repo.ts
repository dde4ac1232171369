import type { Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { AiOutcomesTable, AiSettingsTable, SupportStateTable } from './assistant.tables.js';

export type AiSettingsRow = Selectable<AiSettingsTable>;
export type SupportStateRow = Selectable<SupportStateTable>;
export type OutcomeRow = Selectable<AiOutcomesTable>;

export function assistantRepo({ db }: Database) {
  return {
    /** Supervisors and admins of the org who opted in to take chats from the queue. */
    async takingChats(orgId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('supportRouting')
        .select('userId')
        .where('orgId', '=', orgId)
        .where('takesChats', '=', 1)
        .execute();
      return new Set(rows.map((r) => r.userId));
    },
    async setTakesChats(orgId: string, userId: string, takesChats: boolean, at: number): Promise<void> {
      await db
        .insertInto('supportRouting')
        .values({ orgId, userId, takesChats: takesChats ? 1 : 0, updatedAt: at })
        .onConflict((oc) =>
          oc.columns(['orgId', 'userId']).doUpdateSet({ takesChats: takesChats ? 1 : 0, updatedAt: at }),
        )
        .execute();
    },
    settings: (orgId: string) => db.selectFrom('aiSettings').selectAll().where('orgId', '=', orgId).executeTakeFirst(),
    async insertSettings(row: AiSettingsRow): Promise<void> {
      await db
        .insertInto('aiSettings')
        .values(row)
        .onConflict((oc) => oc.column('orgId').doNothing())
        .execute();
    },
    async updateSettings(orgId: string, patch: Partial<AiSettingsRow>): Promise<void> {
      await db.updateTable('aiSettings').set(patch).where('orgId', '=', orgId).execute();
    },
    state: (orgId: string, conversationId: string) =>
      db
        .selectFrom('supportState')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .executeTakeFirst(),
    async upsertState(row: SupportStateRow): Promise<void> {
      await db
        .insertInto('supportState')
        .values(row)
        .onConflict((oc) =>
          oc.column('conversationId').doUpdateSet({
            status: row.status,
            assignedTo: row.assignedTo,
            requestedAt: row.requestedAt,
            updatedAt: row.updatedAt,
          }),
        )
        .execute();
    },
    /** Conversations waiting for a person, oldest request first. */
    waiting: (orgId: string) =>
      db
        .selectFrom('supportState')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('status', '=', 'human_requested')
        .orderBy('requestedAt')
        .orderBy('conversationId')
        .execute(),
    async activeCounts(orgId: string): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('supportState')
        .select(['assignedTo', (eb) => eb.fn.countAll<number>().as('n')])
        .where('orgId', '=', orgId)
        .where('status', '=', 'human_active')
        .groupBy('assignedTo')
        .execute();
      return new Map(rows.flatMap((r) => (r.assignedTo ? [[r.assignedTo, Number(r.n)] as const] : [])));
    },
    /** The conversations a person has now (`human_active`, assigned to them). */
    async assignedTo(orgId: string, userId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('supportState')
        .select('conversationId')
        .where('orgId', '=', orgId)
        .where('status', '=', 'human_active')
        .where('assignedTo', '=', userId)
        .execute();
      return rows.map((r) => r.conversationId);
    },
    async insertOutcome(row: OutcomeRow): Promise<void> {
      await db.insertInto('aiOutcomes').values(row).execute();
    },
    outcomes: (orgId: string, conversationId?: string) => {
      let q = db.selectFrom('aiOutcomes').selectAll().where('orgId', '=', orgId);
      if (conversationId) q = q.where('conversationId', '=', conversationId);
      return q.orderBy('createdAt').execute();
    },
  };
}
