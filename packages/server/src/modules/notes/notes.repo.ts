import type { SupportNote } from '@switchboard/protocol';
import type { Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { SupportNotesTable } from './notes.tables.js';

type NoteRow = Selectable<SupportNotesTable>;

const toNote = (row: NoteRow): SupportNote => ({
  id: row.id,
  conversationId: row.conversationId,
  authorId: row.authorId,
  kind: row.kind as SupportNote['kind'],
  text: row.text,
  createdAt: Number(row.createdAt),
});

export function notesRepo({ db }: Database) {
  return {
    async insert(row: NoteRow): Promise<SupportNote> {
      await db.insertInto('supportNotes').values(row).execute();
      return toNote(row);
    },
    /** A conversation's notes, oldest first (the newest `limit`). */
    async list(orgId: string, conversationId: string, limit: number): Promise<SupportNote[]> {
      const rows = await db
        .selectFrom('supportNotes')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map(toNote);
    },
  };
}
