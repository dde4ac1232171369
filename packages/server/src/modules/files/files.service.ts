import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type Attachment,
  type FileMeta,
  type FileSettings,
  type ThumbnailSize,
  type UpdateFileSettings,
  UpdateFileSettingsSchema,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { ByteRange } from '../../platform/blob/store.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { AttachmentHooks } from '../messenger/messenger.shared.js';
import { type FileRow, filesRepo, toFileMeta } from './files.repo.js';
import { cleanName, inspectUpload } from './inspect.js';

export const SCAN_TASK = 'files.scan';
export const THUMBNAIL_TASK = 'files.thumbnails';
export const PURGE_TASK = 'files.purge';
export const SWEEP_UNSENT_TASK = 'files.sweep-unsent';
/** An upload not sent with a message within this time is removed (hourly sweep). */
export const UNSENT_TTL_MS = 24 * 3_600_000;

/** Blob keys come from ids only: `files/<org>/<file>` and `files/<org>/<file>-t<size>` for thumbnails. */
export function blobKey(row: Pick<FileRow, 'orgId' | 'id'>, thumbnail?: number): string {
  return `files/${row.orgId}/${row.id}${thumbnail ? `-t${thumbnail}` : ''}`;
}

/** An upload as the HTTP layer hands it over: the part's name and its body stream (not yet read). */
export interface IncomingFile {
  filename: string | undefined;
  file: Readable & { truncated?: boolean };
}

/** What a download needs: the metadata, the size, and a reader for the whole or a range. */
export interface Download {
  meta: FileMeta;
  contentType: string;
  size: number;
  read(range?: ByteRange): Promise<Readable>;
}

export interface FilesDeps {
  messenger: MessengerService;
  /** Tell the uploader's sockets that a file changed (scan verdict, thumbnails). */
  notify(meta: FileMeta): void;
}

/** Uploads, access checks, downloads, the org's file settings, and the messenger's attachment hooks. */
export function filesService(platform: Platform, deps: FilesDeps) {
  const repo = filesRepo(platform.database.db);
  const { blobs, config } = platform;
  const tmpDir = path.join(config.dataDir, 'tmp');

  async function serveUnscanned(orgId: string): Promise<boolean> {
    return (await repo.settings(orgId))?.serveUnscanned ?? config.files.serveUnscannedDefault;
  }

  /** The file if the caller may know it exists: its uploader, or a member of the conversation once sent. */
  async function visible(actor: Actor, id: string): Promise<FileRow> {
    const row = await repo.find(actor.orgId, id);
    if (!row || row.purgedAt !== null) throw new AppError('not_found', 'no such file');
    if (row.uploaderId === actor.userId) return row;
    if (row.messageId === null) throw new AppError('not_found', 'no such file');
    await deps.messenger.conversations.get(actor, row.conversationId).catch((err) => {
      throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', 'no such file') : err;
    });
    return row;
  }

  /** The scan gate: infected never, pending/error only to the uploader, unscanned as the org allows. */
  async function servable(actor: Actor, row: FileRow): Promise<void> {
    if (row.scanState === 'infected') throw new AppError('file_quarantined', 'the file was found infected');
    if (row.uploaderId === actor.userId || row.scanState === 'clean') return;
    if (row.scanState === 'unscanned' && (await serveUnscanned(row.orgId))) return;
    throw new AppError(
      'file_not_ready',
      `the file is ${row.scanState === 'unscanned' ? 'not scanned' : 'being scanned'}`,
    );
  }

  const hooks: AttachmentHooks = {
    async resolve(actor, conversationId, fileIds): Promise<Attachment[]> {
      const rows = new Map(
        (await repo.unsent(actor.orgId, conversationId, actor.userId, fileIds)).map((r) => [r.id, r]),
      );
      return fileIds.map((id) => {
        const row = rows.get(id);
        if (!row) throw new AppError('not_found', `no unsent file ${id} of yours in this conversation`);
        if (row.scanState === 'infected') throw new AppError('file_quarantined', `file ${id} was found infected`);
        const { name, contentType, kind, width, height } = row;
        return { id, name, contentType, size: Number(row.size), kind, width, height };
      });
    },
    async attached(actor, _conversationId, messageId, fileIds) {
      await repo.attach(actor.orgId, fileIds, messageId);
    },
    async deleted(orgId, messageId) {
      const at = platform.clock.now() + config.files.deleteGraceMs;
      const fileIds = await repo.releaseMessage(orgId, messageId, at);
      if (fileIds.length) {
        await platform.jobs.submit({ type: PURGE_TASK, orgId, payload: { orgId, fileIds }, runAt: at });
      }
    },
  };

  return {
    hooks,

    /**
     * Stream the part to a temporary file (never the whole body in memory), refuse it when the size limit
     * cut it, decide its type from the content, store it under a random id, then queue the scan and the
     * thumbnails. The caller must be a member of the conversation.
     */
    async upload(actor: Actor, conversationId: string, part: IncomingFile): Promise<FileMeta> {
      await deps.messenger.conversations.get(actor, conversationId);
      await fsp.mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `upload-${randomUUID()}`);
      try {
        await pipeline(part.file, fs.createWriteStream(tmp));
        if (part.file.truncated) {
          throw new AppError('payload_too_large', `files may be at most ${config.files.maxBytes} bytes`);
        }
        const name = cleanName(part.filename);
        const inspected = await inspectUpload(tmp, name, config.files.maxPixels);
        const { size } = await fsp.stat(tmp);
        const scanner = config.files.clamd !== undefined;
        const row: FileRow = {
          id: randomUUID(),
          orgId: actor.orgId,
          conversationId,
          messageId: null,
          uploaderId: actor.userId,
          name,
          ...inspected,
          size,
          scanState: scanner ? 'pending' : 'unscanned',
          scanDetail: null,
          scannedAt: null,
          thumbnails: '[]',
          createdAt: platform.clock.now(),
          deleteAfter: null,
          purgedAt: null,
        };
        await blobs.put(blobKey(row), fs.createReadStream(tmp), { size, contentType: row.contentType });
        await repo.insert(row);
        const payload = { orgId: row.orgId, fileId: row.id };
        if (scanner)
          await platform.jobs.submit({ type: SCAN_TASK, orgId: row.orgId, payload, idempotencyKey: `scan:${row.id}` });
        if (row.kind === 'image') {
          await platform.jobs.submit({
            type: THUMBNAIL_TASK,
            orgId: row.orgId,
            payload,
            idempotencyKey: `thumbs:${row.id}`,
          });
        }
        return toFileMeta(row);
      } finally {
        await fsp.rm(tmp, { force: true });
      }
    },

    async meta(actor: Actor, id: string): Promise<FileMeta> {
      return toFileMeta(await visible(actor, id));
    },

    async download(actor: Actor, id: string): Promise<Download> {
      const row = await visible(actor, id);
      await servable(actor, row);
      const contentType = row.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : row.contentType;
      return {
        meta: toFileMeta(row),
        contentType,
        size: Number(row.size),
        read: (range) => blobs.get(blobKey(row), range),
      };
    },

    async thumbnail(actor: Actor, id: string, size: ThumbnailSize): Promise<Download> {
      const row = await visible(actor, id);
      await servable(actor, row);
      const meta = toFileMeta(row);
      if (!meta.thumbnails.includes(size)) throw new AppError('file_not_ready', 'no thumbnail of this size yet');
      const key = blobKey(row, size);
      const stat = await blobs.stat(key);
      if (!stat) throw new AppError('file_not_ready', 'no thumbnail of this size yet');
      return { meta, contentType: 'image/webp', size: stat.size, read: (range) => blobs.get(key, range) };
    },

    async settings(actor: Actor): Promise<FileSettings> {
      return {
        serveUnscanned: await serveUnscanned(actor.orgId),
        scannerConfigured: config.files.clamd !== undefined,
        maxBytes: config.files.maxBytes,
      };
    },

    async updateSettings(actor: Actor, input: UpdateFileSettings): Promise<FileSettings> {
      const { serveUnscanned: value } = UpdateFileSettingsSchema.parse(input);
      await repo.saveSettings(actor.orgId, value, platform.clock.now());
      return this.settings(actor);
    },
  };
}
export type FilesService = ReturnType<typeof filesService>;
