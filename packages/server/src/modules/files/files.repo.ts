import type { FileMeta, ScanState } from '@switchboard/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../schema.js';
import type { FilesTable } from './files.tables.js';

export type FileRow = Selectable<FilesTable>;

export function toFileMeta(row: FileRow): FileMeta {
  return {
    id: row.id,
    name: row.name,
    contentType: row.contentType,
    size: Number(row.size),
    kind: row.kind,
    width: row.width,
    height: row.height,
    conversationId: row.conversationId,
    messageId: row.messageId,
    uploaderId: row.uploaderId,
    scanState: row.scanState,
    thumbnails: JSON.parse(row.thumbnails) as number[],
    createdAt: Number(row.createdAt),
  };
}

/** The files and file-settings tables; every query scoped by org id. */
export function filesRepo(db: Kysely<DB>) {
  return {
    async insert(row: FileRow): Promise<void> {
      await db.insertInto('files').values(row).execute();
    },
    /** A live file (not deleted with its message). */
    async find(orgId: string, id: string): Promise<FileRow | undefined> {
      return db
        .selectFrom('files')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .where('deleteAfter', 'is', null)
        .executeTakeFirst();
    },
    /** Files `uploaderId` put in this conversation and has not sent with a message yet. */
    async unsent(
      orgId: string,
      conversationId: string,
      uploaderId: string,
      ids: readonly string[],
    ): Promise<FileRow[]> {
      if (ids.length === 0) return [];
      return db
        .selectFrom('files')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('uploaderId', '=', uploaderId)
        .where('messageId', 'is', null)
        .where('deleteAfter', 'is', null)
        .where('id', 'in', [...ids])
        .execute();
    },
    async attach(orgId: string, ids: readonly string[], messageId: string): Promise<void> {
      if (ids.length === 0) return;
      await db
        .updateTable('files')
        .set({ messageId })
        .where('orgId', '=', orgId)
        .where('messageId', 'is', null)
        .where('deleteAfter', 'is', null)
        .where('id', 'in', [...ids])
        .execute();
    },
    /**
     * Uploads never sent with a message and older than `before`, at most `limit`: marked for removal now
     * (a send can no longer take them); returns them, oldest first.
     */
    async releaseUnsent(before: number, now: number, limit: number): Promise<{ orgId: string; id: string }[]> {
      const ids = (
        await db
          .selectFrom('files')
          .select('id')
          .where('messageId', 'is', null)
          .where('deleteAfter', 'is', null)
          .where('createdAt', '<', before)
          .orderBy('createdAt')
          .limit(limit)
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) return [];
      return db
        .updateTable('files')
        .set({ deleteAfter: now })
        .where('id', 'in', ids)
        .where('messageId', 'is', null)
        .where('deleteAfter', 'is', null)
        .returning(['orgId', 'id'])
        .execute();
    },
    /** Mark a deleted message's files for removal at `at`; returns their ids. */
    async releaseMessage(orgId: string, messageId: string, at: number): Promise<string[]> {
      const rows = await db
        .updateTable('files')
        .set({ deleteAfter: at })
        .where('orgId', '=', orgId)
        .where('messageId', '=', messageId)
        .where('deleteAfter', 'is', null)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
    /** Files whose removal time has come, with what is needed to remove their bytes. */
    async dueForPurge(orgId: string, ids: readonly string[], now: number): Promise<FileRow[]> {
      if (ids.length === 0) return [];
      return db
        .selectFrom('files')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('id', 'in', [...ids])
        .where('deleteAfter', '<=', now)
        .where('purgedAt', 'is', null)
        .execute();
    },
    async markPurged(orgId: string, id: string, at: number): Promise<void> {
      await db
        .updateTable('files')
        .set({ purgedAt: at, thumbnails: '[]' })
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .execute();
    },
    async setScan(orgId: string, id: string, state: ScanState, detail: string | null, at: number): Promise<void> {
      await db
        .updateTable('files')
        .set({ scanState: state, scanDetail: detail, scannedAt: at })
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .execute();
    },
    async setThumbnails(orgId: string, id: string, sizes: readonly number[]): Promise<void> {
      await db
        .updateTable('files')
        .set({ thumbnails: JSON.stringify(sizes) })
        .where('orgId', '=', orgId)
        .where('id', '=', id)
        .execute();
    },
    async settings(orgId: string): Promise<{ serveUnscanned: boolean } | undefined> {
      const row = await db.selectFrom('fileSettings').selectAll().where('orgId', '=', orgId).executeTakeFirst();
      return row ? { serveUnscanned: row.serveUnscanned === 1 } : undefined;
    },
    async saveSettings(orgId: string, serveUnscanned: boolean, at: number): Promise<void> {
      const value = serveUnscanned ? 1 : 0;
      await db
        .insertInto('fileSettings')
        .values({ orgId, serveUnscanned: value, updatedAt: at })
        .onConflict((oc) => oc.column('orgId').doUpdateSet({ serveUnscanned: value, updatedAt: at }))
        .execute();
    },
  };
}
export type FilesRepo = ReturnType<typeof filesRepo>;
