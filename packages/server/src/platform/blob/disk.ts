import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, type BlobStore, type ByteRange, checkKey } from './store.js';

/**
 * Blobs as files under `root` (`DATA_DIR/blobs`). A put writes a temporary file beside the target and
 * renames it into place, so a reader sees the old blob or the whole new one.
 */
export function diskBlobStore(root: string): BlobStore {
  const fileOf = (key: string) => path.join(root, checkKey(key));
  return {
    kind: 'disk',
    async put(key, body, opts) {
      const file = fileOf(key);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${randomUUID()}.tmp`;
      try {
        await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, fs.createWriteStream(tmp));
        const { size } = await fsp.stat(tmp);
        if (size !== opts.size) throw new Error(`blob ${key}: wrote ${size} bytes, expected ${opts.size}`);
        await fsp.rename(tmp, file);
      } catch (err) {
        await fsp.rm(tmp, { force: true });
        throw err;
      }
    },
    async get(key, range?: ByteRange) {
      const file = fileOf(key);
      // Open first so a missing blob is an error here, not later on the stream.
      const handle = await fsp.open(file, 'r').catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'ENOENT' ? new BlobNotFoundError(key) : err;
      });
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async stat(key) {
      try {
        return { size: (await fsp.stat(fileOf(key))).size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async delete(key) {
      await fsp.rm(fileOf(key), { force: true });
    },
  };
}
