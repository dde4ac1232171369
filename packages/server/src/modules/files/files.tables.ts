import type { FileContentType, ScanState } from '@switchboard/protocol';
import type { ModuleMigration } from '../../platform/db/migration.js';

export interface FilesTable {
  /** Random UUID; the blob key is made from it, never from the name. */
  id: string;
  orgId: string;
  conversationId: string;
  /** Null until a message carries the file. */
  messageId: string | null;
  uploaderId: string;
  /** The original name, metadata only. */
  name: string;
  contentType: FileContentType;
  size: number;
  kind: 'image' | 'document';
  width: number | null;
  height: number | null;
  scanState: ScanState;
  /** The signature clamd named for an infected file (the recorded event), or the last scan error. */
  scanDetail: string | null;
  scannedAt: number | null;
  /** JSON array of the thumbnail sizes stored. */
  thumbnails: string;
  createdAt: number;
  /** Set when the message was deleted: the file is gone for everyone, its bytes are removed at this time. */
  deleteAfter: number | null;
  /** When its bytes were removed. */
  purgedAt: number | null;
}

export interface FileSettingsTable {
  orgId: string;
  serveUnscanned: number;
  updatedAt: number;
}

export interface FilesTables {
  files: FilesTable;
  fileSettings: FileSettingsTable;
}

export const filesMigrations: ModuleMigration[] = [
  {
    name: '0900_files_create',
    async up(db) {
      await db.schema
        .createTable('files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('conversationId', 'text', (c) => c.notNull())
        .addColumn('messageId', 'text')
        .addColumn('uploaderId', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('contentType', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('scanState', 'text', (c) => c.notNull())
        .addColumn('scanDetail', 'text')
        .addColumn('scannedAt', 'bigint')
        .addColumn('thumbnails', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('deleteAfter', 'bigint')
        .addColumn('purgedAt', 'bigint')
        .execute();
      // A deleted message finds its files by message id.
      await db.schema.createIndex('files_org_message').on('files').columns(['orgId', 'messageId']).execute();
      await db.schema
        .createTable('fileSettings')
        .addColumn('orgId', 'text', (c) => c.primaryKey().references('orgs.id').onDelete('cascade'))
        .addColumn('serveUnscanned', 'integer', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '0970_files_unsent',
    async up(db) {
      // The hourly sweep finds uploads never sent (messageId null), oldest first.
      await db.schema.createIndex('files_unsent').on('files').columns(['messageId', 'createdAt']).execute();
    },
  },
];
