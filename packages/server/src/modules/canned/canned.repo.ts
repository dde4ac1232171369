import type { CannedResponse } from '@switchboard/protocol';
import type { Selectable, Updateable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { CannedResponsesTable } from './canned.tables.js';

export type CannedRow = Selectable<CannedResponsesTable>;

export const toCanned = (row: CannedRow): CannedResponse => ({
  id: row.id,
  scope: row.ownerKey === '' ? 'org' : 'personal',
  shortcut: row.shortcut,
  title: row.title,
  text: row.text,
  ownerId: row.ownerKey === '' ? null : row.ownerKey,
  createdAt: Number(row.createdAt),
  updatedAt: Number(row.updatedAt),
});

export function cannedRepo({ db }: Database) {
  return {
    /** The org's responses and the user's own, by shortcut. */
    async visible(orgId: string, userId: string): Promise<CannedRow[]> {
      return db
        .selectFrom('cannedResponses')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('ownerKey', 'in', ['', userId])
        .orderBy('shortcut')
        .orderBy('ownerKey')
        .execute();
    },
    async find(orgId: string, id: string): Promise<CannedRow | undefined> {
      return db
        .selectFrom('cannedResponses')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    async taken(orgId: string, ownerKey: string, shortcut: string, except?: string): Promise<boolean> {
      let q = db
        .selectFrom('cannedResponses')
        .select('id')
        .where('orgId', '=', orgId)
        .where('ownerKey', '=', ownerKey)
        .where('shortcut', '=', shortcut);
      if (except) q = q.where('id', '!=', except);
      return (await q.executeTakeFirst()) !== undefined;
    },
    async insert(row: CannedRow): Promise<void> {
      await db.insertInto('cannedResponses').values(row).execute();
    },
    async update(orgId: string, id: string, patch: Updateable<CannedResponsesTable>): Promise<void> {
      await db.updateTable('cannedResponses').set(patch).where('orgId', '=', orgId).where('id', '=', id).execute();
    },
    async remove(orgId: string, id: string): Promise<void> {
      await db.deleteFrom('cannedResponses').where('orgId', '=', orgId).where('id', '=', id).execute();
    },
  };
}
