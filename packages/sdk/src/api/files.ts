import {
  type FileMeta,
  FileMetaSchema,
  filesRouteDefs as routes,
  type ThumbnailSize,
  type UpdateFileSettings,
} from '@switchboard/protocol';
import { authedFetch, type BinaryAccess } from '../authed-fetch.js';
import { SwitchboardError } from '../errors.js';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * Attachments (`/api/v1/files/…`): upload a file to a conversation (multipart, the server decides its
 * type from the content), then send its id in a message's `attachments`; download it or its thumbnails
 * as a `Blob` (members of the conversation only).
 *
 * @example
 * ```ts
 * const file = await client.api.files.upload(conversationId, input.files[0]);
 * await client.api.messages.send(conversationId, { clientMsgId: crypto.randomUUID(), text: 'photo', attachments: [file.id] });
 * const thumb = await client.api.files.thumbnail(file.id, 300); // Blob, image/webp
 * ```
 */
export const filesApi = (call: RestCall, access: BinaryAccess) => ({
  /**
   * Upload one file (a browser `File`, or a `Blob` with a name). Rejects with `payload_too_large`,
   * `file_type_refused`, `file_type_mismatch` or `image_too_large`.
   */
  async upload(
    conversationId: string,
    file: Blob,
    name?: string,
    opts: { timeoutMs?: number } = {},
  ): Promise<FileMeta> {
    const filename = name ?? (file as Blob & { name?: string }).name ?? 'file';
    const res = await authedFetch(
      access,
      'POST',
      `/api/v1/files?conversationId=${encodeURIComponent(conversationId)}`,
      {
        body: () => {
          const form = new FormData();
          form.append('file', file, filename);
          return form;
        },
        timeoutMs: opts.timeoutMs ?? Math.max(access.http().timeoutMs, 120_000),
      },
    );
    const parsed = FileMetaSchema.safeParse(await res.json());
    if (!parsed.success)
      throw new SwitchboardError('invalid_response', `upload: ${parsed.error.message.slice(0, 300)}`);
    return parsed.data;
  },
  /** Metadata and scan state (`pending`, `clean`, `infected`, `error`, `unscanned`). */
  meta: (id: string) => callRoute(call, routes.fileMeta, { params: { id } }),
  /** The file's bytes; `file_not_ready` while a scan is pending, `file_quarantined` when infected. */
  async download(id: string): Promise<Blob> {
    return (await authedFetch(access, 'GET', `/api/v1/files/${id}`, {})).blob();
  },
  /** A WebP thumbnail of an image (100, 300 or 600 px); `file_not_ready` until it is made. */
  async thumbnail(id: string, size: ThumbnailSize): Promise<Blob> {
    return (await authedFetch(access, 'GET', `/api/v1/files/${id}/thumbnails/${size}`, {})).blob();
  },
  /** The org's file settings (admins). */
  settings: () => callRoute(call, routes.fileSettings),
  updateSettings: (body: UpdateFileSettings) => callRoute(call, routes.updateFileSettings, { body }),
});
