import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/**
 * The types an upload may be, decided from the file's content (never its name or the client's
 * Content-Type), with the file-name extensions each may carry.
 *
 * @example
 * ```ts
 * FILE_TYPES['image/png'].kind; // 'image'
 * ```
 */
export const FILE_TYPES = {
  'image/png': { kind: 'image', extensions: ['png'] },
  'image/jpeg': { kind: 'image', extensions: ['jpg', 'jpeg'] },
  'image/webp': { kind: 'image', extensions: ['webp'] },
  'image/gif': { kind: 'image', extensions: ['gif'] },
  'application/pdf': { kind: 'document', extensions: ['pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    kind: 'document',
    extensions: ['docx'],
  },
  'text/plain': { kind: 'document', extensions: ['txt', 'text', 'log', 'md', 'csv'] },
} as const satisfies Record<string, { kind: 'image' | 'document'; extensions: readonly string[] }>;

/** A content type an upload may have. */
export type FileContentType = keyof typeof FILE_TYPES;
export const FileContentTypeSchema = z.enum(Object.keys(FILE_TYPES) as [FileContentType, ...FileContentType[]]);

/** Thumbnail edge lengths in pixels (the longer side), made for every image as WebP. */
export const THUMBNAIL_SIZES = [100, 300, 600] as const;
export type ThumbnailSize = (typeof THUMBNAIL_SIZES)[number];

/** Most files one message may carry. */
export const MESSAGE_ATTACHMENTS_MAX = 10;

/** Longest kept file name, in characters. */
export const FILE_NAME_MAX = 255;

/**
 * Where a file stands with the virus scanner: `pending` (not scanned yet: only its uploader may fetch it),
 * `clean`, `infected` (quarantined, served to nobody), `error` (the scan failed and is retried),
 * `unscanned` (no scanner configured; served when the org's admin allows it).
 */
export const ScanStateSchema = z.enum(['pending', 'clean', 'infected', 'error', 'unscanned']);
export type ScanState = z.infer<typeof ScanStateSchema>;

/**
 * A file as attached to a message: what does not change after the upload. The original name is metadata
 * only (the file is stored under its random id) and is always rendered as text.
 *
 * @example
 * ```json
 * { "id": "…", "name": "report.pdf", "contentType": "application/pdf", "size": 48213, "kind": "document",
 *   "width": null, "height": null }
 * ```
 */
export const AttachmentSchema = z.object({
  id: IdSchema,
  name: z.string(),
  contentType: FileContentTypeSchema,
  size: z.number().int().nonnegative(),
  kind: z.enum(['image', 'document']),
  /** Pixel size as displayed (EXIF orientation applied); null for documents. */
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/**
 * A stored file with its current state. `thumbnails` lists the sizes ready to fetch.
 *
 * @example
 * ```json
 * { "id": "…", "name": "cat.jpg", "contentType": "image/jpeg", "size": 81234, "kind": "image", "width": 800,
 *   "height": 600, "conversationId": "…", "messageId": null, "uploaderId": "…", "scanState": "clean",
 *   "thumbnails": [100, 300, 600], "createdAt": 1767225600000 }
 * ```
 */
export const FileMetaSchema = AttachmentSchema.extend({
  conversationId: IdSchema,
  /** The message it is attached to; null until sent with one. */
  messageId: IdSchema.nullable(),
  uploaderId: IdSchema,
  scanState: ScanStateSchema,
  thumbnails: z.array(z.number().int()),
  createdAt: TimestampSchema,
});
export type FileMeta = z.infer<typeof FileMetaSchema>;

/**
 * Where an upload goes: `POST /api/v1/files?conversationId=…` with a `multipart/form-data` body holding
 * one part named `file`. The caller must be a member of the conversation.
 *
 * @example
 * ```
 * POST /api/v1/files?conversationId=8b0c…   (multipart: file=@photo.jpg)
 * ```
 */
export const UploadQuerySchema = z.object({ conversationId: IdSchema });
export type UploadQuery = z.infer<typeof UploadQuerySchema>;

export const FileIdParamsSchema = z.object({ id: IdSchema });

/** `GET /api/v1/files/{id}/thumbnails/{size}`: one of `THUMBNAIL_SIZES`. */
export const ThumbnailParamsSchema = z.object({
  id: IdSchema,
  size: z.coerce
    .number()
    .int()
    .refine((n) => (THUMBNAIL_SIZES as readonly number[]).includes(n), `one of ${THUMBNAIL_SIZES.join(', ')}`),
});

/**
 * An org's file settings (admins change them). `serveUnscanned`: whether files are served while no virus
 * scanner is configured (their state is then `unscanned`).
 *
 * @example
 * ```json
 * { "serveUnscanned": true, "scannerConfigured": false, "maxBytes": 10485760 }
 * ```
 */
export const FileSettingsSchema = z.object({
  serveUnscanned: z.boolean(),
  scannerConfigured: z.boolean(),
  maxBytes: z.number().int().positive(),
});
export type FileSettings = z.infer<typeof FileSettingsSchema>;
export const UpdateFileSettingsSchema = z.object({ serveUnscanned: z.boolean() });
export type UpdateFileSettings = z.infer<typeof UpdateFileSettingsSchema>;

/** Pushed to the uploader's sockets as `file.updated` whenever a file's scan state or thumbnails change. */
export const FileUpdatedEventSchema = FileMetaSchema;
