import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redisForTests } from '../../test/redis.js';
import { until } from '../../test/waits.js';
import { presenceStoreConformance } from './conformance.js';
import { redisPresenceStore } from './redis.js';

const redis = redisForTests();
if (redis) {
  presenceStoreConformance('redis', async () => {
    const conn = await redis.connect();
    const store = redisPresenceStore(conn.client, { prefix: conn.prefix, ttlMs: 60_000 });
    return { ...store, close: () => conn.close() };
  });

  describe('redis presence store: TTL and concurrent nodes', () => {
    it('forgets a user whose record was not rewritten within the TTL (every node died)', async () => {
      const conn = await redis.connect();
      try {
        const store = redisPresenceStore(conn.client, { prefix: conn.prefix, ttlMs: 150 });
        const u = { orgId: randomUUID(), userId: randomUUID(), role: 'agent' as const, username: 'Ada' };
        await store.connect(u, { id: 'a', kind: 'socket' }, 1000);
        expect(await conn.client.pttl(`${conn.prefix}presence:u:${u.orgId}:${u.userId}`)).toBeGreaterThan(0);
        await until('the record to expire', async () => (await store.get(u.orgId, u.userId)) === undefined, 5_000);
        expect(await store.list(u.orgId)).toEqual([]);
        expect(await store.orgs()).not.toContain(u.orgId);
      } finally {
        await conn.close();
      }
    });

    it('keeps every device when two nodes connect devices of one user at the same time', async () => {
      const [a, b] = [await redis.connect(), await redis.connect()];
      try {
        // Two connections (two "nodes") over the same keys.
        const opts = { prefix: a.prefix, ttlMs: 60_000 };
        const [s1, s2] = [redisPresenceStore(a.client, opts), redisPresenceStore(b.client, opts)];
        const u = { orgId: randomUUID(), userId: randomUUID(), role: 'agent' as const, username: 'Ada' };
        await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 ? s1 : s2).connect(u, { id: `d${i}`, kind: 'socket' }, 1000 + i)),
        );
        expect((await s1.get(u.orgId, u.userId))?.connections).toHaveLength(50);
      } finally {
        await b.close();
        await a.close();
      }
    });
  });
} else {
  describe('PresenceStore conformance: redis', () => {
    it.skip('needs REDIS_URL (e.g. redis://127.0.0.1:6379/15)', () => {});
  });
}
