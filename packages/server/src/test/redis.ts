import { randomBytes } from 'node:crypto';
import { connectRedis, type RedisConnection } from '../platform/redis.js';

/** Redis for the cluster-mode suites; read here and only here, as tests are not the product. */
const REDIS_URL = process.env.REDIS_URL;

export interface RedisForTests {
  url: string;
  /** A connection under a fresh key prefix; closing it deletes every key under that prefix. */
  connect(): Promise<RedisConnection>;
}

/** Undefined when `REDIS_URL` is not set: suites that need Redis skip with a message. */
export function redisForTests(): RedisForTests | undefined {
  if (!REDIS_URL) return undefined;
  const url = REDIS_URL;
  return {
    url,
    async connect() {
      const conn = await connectRedis(url, `sbtest:${randomBytes(6).toString('hex')}:`);
      return {
        ...conn,
        async close() {
          await deletePrefix(conn);
          await conn.close();
        },
      };
    },
  };
}

/** Remove every key under the connection's prefix (SCAN, never KEYS: the Redis may be shared). */
export async function deletePrefix(conn: RedisConnection): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await conn.client.scan(cursor, 'MATCH', `${conn.prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await conn.client.del(...keys);
  } while (cursor !== '0');
}
