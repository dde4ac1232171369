import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { testConfig } from '../../test/config.js';
import { redisForTests } from '../../test/redis.js';

describe('/readyz', () => {
  it('reports the database only in embedded mode', async () => {
    const app = await buildApp(testConfig());
    try {
      const res = await app.inject('/readyz');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ready', checks: { database: { ok: true } } });
    } finally {
      await app.close();
    }
  });

  it('answers 503 not_ready when the database does not answer', async () => {
    const app = await buildApp(testConfig());
    try {
      app.platform.database.ping = () => Promise.reject(new Error('connection refused'));
      const res = await app.inject('/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        status: 'not_ready',
        checks: { database: { ok: false, detail: 'unreachable: connection refused' } },
      });
    } finally {
      await app.close();
    }
  });

  const redis = redisForTests();
  // Skipped without REDIS_URL: cluster mode needs a real Redis (.ci/run sets it).
  it.skipIf(!redis)('reports Redis in cluster mode, and degraded (still 200) while Redis is unreachable', async () => {
    const app = await buildApp(
      testConfig({ REDIS_URL: redis?.url as string, REDIS_KEY_PREFIX: `sbtest:${randomBytes(4).toString('hex')}:` }),
    );
    try {
      const ok = await app.inject('/readyz');
      expect(ok.json()).toEqual({ status: 'ready', checks: { database: { ok: true }, redis: { ok: true } } });
      await app.platform.redis?.close();
      const down = await app.inject('/readyz');
      expect(down.statusCode).toBe(200);
      expect(down.json()).toMatchObject({
        status: 'degraded',
        checks: { database: { ok: true }, redis: { ok: false, detail: expect.stringContaining('unreachable') } },
      });
    } finally {
      await app.close();
    }
  });
});
