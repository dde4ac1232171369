import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe } from 'vitest';
import { blobStoreConformance } from './conformance.js';
import { diskBlobStore } from './disk.js';
import { type S3StoreOptions, s3BlobStore } from './s3.js';

/** Tests are not the product: an external S3 target is read here, like DATABASE_URL in test/storage.ts. */
const S3_BUCKET = process.env.S3_TEST_BUCKET;

describe('BlobStore conformance [disk]', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-blobs-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  blobStoreConformance(() => diskBlobStore(root));
});

// The S3 store over HTTP against s3rver, an S3-compatible server on a local port (path-style, signed requests).
describe('BlobStore conformance [s3, local s3rver]', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: root,
    configureBuckets: [{ name: 'switchboard-test', configs: [] }],
  });
  let options: S3StoreOptions | undefined;
  beforeAll(async () => {
    const { port } = await server.run();
    options = {
      endpoint: `http://127.0.0.1:${port}`,
      bucket: 'switchboard-test',
      region: 'us-east-1',
      // s3rver's fixed credentials: requests are signed (SigV4) and checked as S3 does.
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    };
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  blobStoreConformance(() => s3BlobStore(options as S3StoreOptions));
});

// Also against a real S3-compatible service when S3_TEST_BUCKET names a bucket on one (none on this machine,
// so it is not registered at all rather than counted as skipped).
if (S3_BUCKET)
  describe('BlobStore conformance [s3, S3_TEST_BUCKET]', () => {
    blobStoreConformance(() =>
      s3BlobStore({
        endpoint: process.env.S3_TEST_ENDPOINT,
        bucket: S3_BUCKET as string,
        region: process.env.S3_TEST_REGION ?? 'us-east-1',
        accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID,
        secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY,
        forcePathStyle: true,
      }),
    );
  });
