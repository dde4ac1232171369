import path from 'node:path';
import type { Config } from '../../config.js';
import { diskBlobStore } from './disk.js';
import { s3BlobStore } from './s3.js';
import type { BlobStore } from './store.js';

/** The blob store `config` names: disk under `DATA_DIR/blobs` (default) or S3 (`BLOB_STORE=s3`). */
export function createBlobStore(config: Config): BlobStore {
  const store = config.files.store;
  return store.kind === 's3' ? s3BlobStore(store) : diskBlobStore(path.join(config.dataDir, 'blobs'));
}
