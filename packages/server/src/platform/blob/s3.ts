import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { BlobNotFoundError, type BlobStore, checkKey } from './store.js';

export interface S3StoreOptions {
  /** Any S3-compatible endpoint (MinIO, Ceph, R2…); absent = AWS itself. */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (most self-hosted stores need it). */
  forcePathStyle: boolean;
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404)
  );
}

/**
 * Blobs in an S3-compatible bucket through the AWS SDK. Puts stream with a known length (one PutObject;
 * uploads are capped at FILES_MAX_BYTES, well under the 5 GB single-put limit), gets pass the Range on.
 */
export function s3BlobStore(o: S3StoreOptions): BlobStore {
  const client = new S3Client({
    region: o.region,
    forcePathStyle: o.forcePathStyle,
    // S3-compatible stores (MinIO, Ceph, R2, s3rver…) do not all take the SDK's default streaming uploads with
    // trailing CRC32 checksums (aws-chunked): some store the chunk framing as content. Checksums only where
    // an operation requires them; the length is still checked (ContentLength) and TLS protects the bytes.
    ...(o.endpoint
      ? {
          endpoint: o.endpoint,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
    ...(o.accessKeyId && o.secretAccessKey
      ? { credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } }
      : {}),
  });
  const Bucket = o.bucket;
  return {
    kind: 's3',
    async put(key, body, opts) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: checkKey(key),
          Body: body,
          ContentLength: opts.size,
          ...(opts.contentType ? { ContentType: opts.contentType } : {}),
        }),
      );
    },
    async get(key, range) {
      try {
        const res = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: checkKey(key),
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
          }),
        );
        if (!(res.Body instanceof Readable)) throw new Error('S3 answered without a stream body');
        return res.Body;
      } catch (err) {
        throw isNotFound(err) ? new BlobNotFoundError(key) : err;
      }
    },
    async stat(key) {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: checkKey(key) }));
        return { size: Number(res.ContentLength ?? 0) };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: checkKey(key) }));
    },
  };
}
