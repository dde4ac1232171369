import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { expect, it } from 'vitest';
import { BlobNotFoundError, type BlobStore } from './store.js';

/**
 * The contract every BlobStore keeps. Call inside a `describe` with a factory for a store to test
 * (`blob.test.ts` runs it on disk always, on S3 when `S3_TEST_BUCKET` is set).
 */
export function blobStoreConformance(make: () => BlobStore) {
  const key = () => `conformance/${randomUUID()}`;

  it('stores a stream and reads it back whole and by range', async () => {
    const store = make();
    const k = key();
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    await store.put(k, Readable.from([bytes.subarray(0, 30_000), bytes.subarray(30_000)]), { size: bytes.length });
    expect(await store.stat(k)).toEqual({ size: bytes.length });
    expect((await buffer(await store.get(k))).equals(bytes)).toBe(true);
    expect((await buffer(await store.get(k, { start: 100, end: 199 }))).equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await buffer(await store.get(k, { start: bytes.length - 1, end: bytes.length - 1 }));
    expect([...tail]).toEqual([bytes[bytes.length - 1]]);
  });

  it('replaces a blob on a second put', async () => {
    const store = make();
    const k = key();
    await store.put(k, Buffer.from('first version'), { size: 13 });
    await store.put(k, Buffer.from('second'), { size: 6 });
    expect((await buffer(await store.get(k))).toString()).toBe('second');
  });

  it('reports absence: stat undefined, get BlobNotFoundError, delete idempotent', async () => {
    const store = make();
    const k = key();
    expect(await store.stat(k)).toBeUndefined();
    await expect(store.get(k)).rejects.toBeInstanceOf(BlobNotFoundError);
    await store.put(k, Buffer.from('x'), { size: 1 });
    await store.delete(k);
    await store.delete(k);
    expect(await store.stat(k)).toBeUndefined();
  });

  it('refuses keys that are not server-made', async () => {
    const store = make();
    for (const bad of ['../escape', '/abs/path', 'a/../../b', 'Upper/Case', 'a//b', 'name with space']) {
      await expect(store.put(bad, Buffer.from('x'), { size: 1 })).rejects.toThrow(/invalid blob key/);
    }
  });
}
