import type { Redis, RedisOptions } from 'ioredis';

/** How long a node waits for Redis at boot before giving up with a clear message. */
const BOOT_TIMEOUT_MS = 10_000;

/**
 * The cluster-mode Redis of one process: a command client for presence and rate limits, and the clients
 * of the Socket.IO adapter. Every key this deployment writes starts with `prefix`.
 *
 * Commands fail fast while Redis is unreachable (no offline queue): a node that loses Redis keeps serving
 * its own sockets from memory instead of stalling every request behind a queue that may never drain, and
 * reconnects on its own (every ≤ 1 s) when Redis returns.
 */
export interface RedisConnection {
  readonly client: Redis;
  readonly prefix: string;
  /** Whether the command client is connected right now (for /readyz and the fallbacks). */
  ready(): boolean;
  /** A round trip to Redis; throws when it is unreachable. */
  ping(): Promise<void>;
  /**
   * The publishing client of the Socket.IO Redis Streams adapter. Its publishes fail fast (the adapter
   * then still delivers to this node's sockets); the readers it duplicates wait out an outage instead of
   * spinning, and resume reading the stream when Redis returns.
   */
  adapterClient(): Redis;
  /**
   * A client whose commands wait out an outage instead of failing (`maxRetriesPerRequest: null`, which
   * BullMQ requires of a worker's connection; the worker duplicates it for its blocking fetch). The caller
   * may `disconnect()` it early; `close()` disconnects it in any case.
   */
  waitingClient(): Redis;
  close(): Promise<void>;
}

const baseOptions: RedisOptions = {
  // Reconnect quickly and forever: an outage ends when Redis is back, not when a retry budget runs out.
  retryStrategy: (times) => Math.min(100 * times, 1000),
  connectTimeout: 5_000,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
};

/**
 * Connect to `url` and wait until the connection is ready (boot fails after 10 s with a message naming
 * REDIS_URL). Later outages are survived, not fatal.
 */
export async function connectRedis(url: string, prefix: string): Promise<RedisConnection> {
  // Loaded here: an embedded start (no REDIS_URL) does not pay for loading the client.
  const { Redis } = await import('ioredis');
  const clients: Redis[] = [];
  const open = (options: RedisOptions) => {
    const c = new Redis(url, options);
    // Errors surface on commands and in /readyz; an unhandled 'error' event would crash the process.
    c.on('error', () => {});
    clients.push(c);
    return c;
  };
  const waiting = () => open({ ...baseOptions, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const client = open(baseOptions);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.disconnect();
      reject(new Error(`REDIS_URL: Redis did not answer within ${BOOT_TIMEOUT_MS / 1000} s`));
    }, BOOT_TIMEOUT_MS);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });

  return {
    client,
    prefix,
    ready: () => client.status === 'ready',
    async ping() {
      await client.ping();
    },
    adapterClient() {
      const pub = open(baseOptions);
      pub.duplicate = waiting as Redis['duplicate'];
      // The adapter publishes its ephemeral messages (the 5 s heartbeat, volatile emits) without awaiting
      // them: during an outage each would be an unhandled rejection, which ends a Node process. Mark them
      // handled; a caller that awaits the publish still sees the error.
      const publish = pub.publish.bind(pub) as (...args: unknown[]) => Promise<number>;
      pub.publish = ((...args: unknown[]) => {
        const sent = publish(...args);
        sent.catch(() => {});
        return sent;
      }) as Redis['publish'];
      return pub;
    },
    waitingClient: waiting,
    async close() {
      for (const c of clients.splice(0)) {
        // The adapter's stream readers read again at once when a read fails, and on a closed client every
        // read fails at once: closed under a running adapter, they would starve the event loop. A read that
        // never settles ends their loop instead.
        c.xread = (() => new Promise(() => {})) as unknown as Redis['xread'];
        c.disconnect();
      }
    },
  };
}
