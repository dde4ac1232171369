import type { Label } from '@switchboard/protocol';
import type { Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { LabelsTable } from './labels.tables.js';

type LabelRow = Selectable<LabelsTable>;

const toLabel = (r: LabelRow): Label => ({
  id: r.id,
  name: r.name,
  color: r.color as Label['color'],
  createdAt: Number(r.createdAt),
});

export function labelsRepo({ db }: Database) {
  return {
    async list(orgId: string): Promise<Label[]> {
      return (await db.selectFrom('labels').selectAll().where('orgId', '=', orgId).orderBy('nameKey').execute()).map(
        toLabel,
      );
    },
    async find(orgId: string, id: string): Promise<Label | undefined> {
      const row = await db
        .selectFrom('labels')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toLabel(row);
    },
    async nameTaken(orgId: string, nameKey: string): Promise<boolean> {
      const row = await db
        .selectFrom('labels')
        .select('id')
        .where('orgId', '=', orgId)
        .where('nameKey', '=', nameKey)
        .executeTakeFirst();
      return row !== undefined;
    },
    async insert(row: LabelRow): Promise<Label> {
      await db.insertInto('labels').values(row).execute();
      return toLabel(row);
    },
    /** Delete a label and take it off every conversation. */
    async remove(orgId: string, id: string): Promise<string[]> {
      return db.transaction().execute(async (tx) => {
        const on = await tx
          .selectFrom('conversationLabels')
          .select('conversationId')
          .where('orgId', '=', orgId)
          .where('labelId', '=', id)
          .execute();
        await tx.deleteFrom('conversationLabels').where('orgId', '=', orgId).where('labelId', '=', id).execute();
        await tx.deleteFrom('labels').where('orgId', '=', orgId).where('id', '=', id).execute();
        return on.map((r) => r.conversationId);
      });
    },
    async attach(orgId: string, conversationId: string, labelId: string, at: number): Promise<void> {
      await db
        .insertInto('conversationLabels')
        .values({ orgId, conversationId, labelId, createdAt: at })
        .onConflict((oc) => oc.columns(['conversationId', 'labelId']).doNothing())
        .execute();
    },
    async detach(orgId: string, conversationId: string, labelId: string): Promise<void> {
      await db
        .deleteFrom('conversationLabels')
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('labelId', '=', labelId)
        .execute();
    },
    /** Label ids of each of the conversations, oldest first. */
    async of(orgId: string, conversationIds: readonly string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>(conversationIds.map((id) => [id, []]));
      if (!conversationIds.length) return out;
      const rows = await db
        .selectFrom('conversationLabels')
        .select(['conversationId', 'labelId'])
        .where('orgId', '=', orgId)
        .where('conversationId', 'in', [...conversationIds])
        .orderBy('createdAt')
        .execute();
      for (const r of rows) out.get(r.conversationId)?.push(r.labelId);
      return out;
    },
  };
}
