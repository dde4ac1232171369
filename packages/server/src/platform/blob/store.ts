import type { Readable } from 'node:stream';

/** Inclusive byte range, as HTTP Range speaks it. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where file bytes live: local disk under `DATA_DIR` (default) or any S3-compatible store. Keys are
 * server-made (`[a-z0-9/-]`), never a user's file name. Every implementation passes `conformance.ts`.
 *
 * @example
 * ```ts
 * await blobs.put('files/8b0c…/original', fs.createReadStream(tmp), { size, contentType: 'image/png' });
 * const body = await blobs.get('files/8b0c…/original', { start: 0, end: 99 });
 * ```
 */
export interface BlobStore {
  readonly kind: 'disk' | 's3';
  /** Store `body` under `key` (replacing any earlier blob); readers never see a half-written blob. */
  put(key: string, body: Readable | Buffer, opts: { size: number; contentType?: string }): Promise<void>;
  /** The blob's bytes, or the inclusive `range` of them; `BlobNotFoundError` when absent. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size of the blob, or undefined when absent. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Remove the blob; removing an absent one is not an error. */
  delete(key: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
  constructor(readonly key: string) {
    super(`no blob ${key}`);
  }
}

const KEY = /^[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9-]*)*$/;

/** Refuse anything but server-made keys (no `..`, no absolute paths, no user text). */
export function checkKey(key: string): string {
  if (!KEY.test(key) || key.length > 512) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
  return key;
}
