import path from 'node:path';
import type { Env } from './config.js';
import { ConfigError } from './config-error.js';

/** Attachments: `FILES_*`, `CLAMD_SOCKET`, `BLOB_STORE` and `S3_*` (parsed by `config.ts`, checked here). */
export type FilesConfig = Readonly<{
  maxBytes: number;
  /** Images with more pixels (width × height) are refused: decompression bombs. */
  maxPixels: number;
  /** How long a deleted message's files are kept before they are removed. */
  deleteGraceMs: number;
  /** Default of the org setting for serving files while no scanner is configured (embedded mode: yes). */
  serveUnscannedDefault: boolean;
  /** clamd: a Unix socket path, or `host:port`; absent = no scanner. */
  clamd: Readonly<{ path: string } | { host: string; port: number }> | undefined;
  store: Readonly<
    | { kind: 'disk' }
    | {
        kind: 's3';
        endpoint: string | undefined;
        bucket: string;
        region: string;
        accessKeyId: string | undefined;
        secretAccessKey: string | undefined;
        forcePathStyle: boolean;
      }
  >;
}>;

export function filesConfig(e: Env): FilesConfig {
  let clamd: FilesConfig['clamd'];
  if (e.CLAMD_SOCKET) {
    const m = /^([^/:][^:]*):(\d{1,5})$/.exec(e.CLAMD_SOCKET);
    clamd = m ? { host: m[1] as string, port: Number(m[2]) } : { path: e.CLAMD_SOCKET };
    if (!m && !path.isAbsolute(e.CLAMD_SOCKET)) {
      throw new ConfigError(
        `CLAMD_SOCKET: ${JSON.stringify(e.CLAMD_SOCKET)} is neither an absolute path nor host:port`,
      );
    }
  }
  if (e.BLOB_STORE === 's3' && !e.S3_BUCKET) throw new ConfigError('S3_BUCKET: required when BLOB_STORE=s3');
  return Object.freeze({
    maxBytes: e.FILES_MAX_BYTES,
    maxPixels: e.FILES_MAX_PIXELS,
    deleteGraceMs: e.FILES_DELETE_GRACE_MS,
    serveUnscannedDefault: e.FILES_SERVE_UNSCANNED ?? e.DATABASE_URL === undefined,
    clamd,
    store:
      e.BLOB_STORE === 's3'
        ? {
            kind: 's3' as const,
            endpoint: e.S3_ENDPOINT,
            bucket: e.S3_BUCKET as string,
            region: e.S3_REGION,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
          }
        : { kind: 'disk' as const },
  });
}
