import path from 'node:path';
import type { Config } from '../../config.js';
import { diskBlobStore } from './disk.js';
import type { BlobStore } from './store.js';

/** The blob store `config` names: disk under `DATA_DIR/blobs` (default) or S3 (`BLOB_STORE=s3`). */
export async function createBlobStore(config: Config): Promise<BlobStore> {
  const store = config.files.store;
  // The AWS SDK loads only for S3: an embedded start does not pay for loading it.
  if (store.kind === 's3') return (await import('./s3.js')).s3BlobStore(store);
  return diskBlobStore(path.join(config.dataDir, 'blobs'));
}
