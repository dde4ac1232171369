import { afterEach, describe, expect, it } from 'vitest';
import { redisForTests } from '../test/redis.js';
import { sleep } from '../test/waits.js';

const redis = redisForTests();

// Skipped without REDIS_URL: it needs a real Redis to close and reach (.ci/run sets it).
describe.skipIf(!redis)('cluster Redis connection', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('an adapter publish nobody awaits does not become an unhandled rejection while Redis is down (it would end the process)', async () => {
    process.on('unhandledRejection', onUnhandled);
    const conn = await (redis as NonNullable<typeof redis>).connect();
    const pub = conn.adapterClient();
    await new Promise((ready) => pub.once('ready', ready));
    await pub.publish(`${conn.prefix}probe`, 'up');
    pub.disconnect();
    // As the Socket.IO adapter sends its heartbeat: fire and forget.
    void pub.publish(`${conn.prefix}probe`, 'heartbeat');
    // An awaiting caller still learns that the publish failed.
    await expect(pub.publish(`${conn.prefix}probe`, 'awaited')).rejects.toThrow();
    // Let Node's unhandled-rejection check run (it runs after the microtask queue drains).
    await sleep(50);
    expect(unhandled).toEqual([]);
    await conn.close();
  });
});
