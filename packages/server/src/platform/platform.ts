import path from 'node:path';
import type { Config } from '../config.js';
import { createBlobStore } from './blob/blob.js';
import type { BlobStore } from './blob/store.js';
import { type Clock, systemClock } from './clock.js';
import { type Database, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrations.js';
import { createDbJobQueue, type DbJobQueueOptions } from './jobs/db-queue.js';
import { registerJobMetrics } from './jobs/metrics.js';
import type { JobQueue } from './jobs/queue.js';
import { createMetrics, type Metrics } from './metrics.js';
import { memoryPresenceStore } from './presence/memory.js';
import { registerPresenceMetrics } from './presence/metrics.js';
import { redisPresenceStore } from './presence/redis.js';
import type { PresenceStore } from './presence/store.js';
import { memoryRateLimiter, type RateLimiter } from './rate-limit.js';
import { redisRateLimiter } from './rate-limit-redis.js';
import { connectRedis, type RedisConnection } from './redis.js';

export { type Clock, systemClock } from './clock.js';

/**
 * The services of the deployment mode, each behind an interface: embedded (SQLite, memory) or cluster
 * (PostgreSQL, Redis). Modules receive this and never construct infrastructure themselves.
 */
export interface Platform {
  readonly config: Config;
  readonly database: Database;
  readonly clock: Clock;
  /**
   * Durable background tasks, recorded in the database; dispatched by the database itself (embedded mode)
   * or by BullMQ on Redis (cluster mode, `TASKS_BACKEND`). Workers start with the app.
   */
  readonly jobs: JobQueue;
  /** The Prometheus registry of this app and the core series. */
  readonly metrics: Metrics;
  /** Throttling counters (login attempts, widget sessions): memory now, Redis in cluster mode. */
  readonly rateLimiter: RateLimiter;
  /** Who is connected on which devices: memory now, Redis in cluster mode. */
  readonly presence: PresenceStore;
  /** File bytes: disk under DATA_DIR, or an S3-compatible bucket. */
  readonly blobs: BlobStore;
  /** Cluster mode (`REDIS_URL`): the Redis behind presence, rate limits and the Socket.IO adapter. */
  readonly redis?: RedisConnection;
  close(): Promise<void>;
}

export function sqliteFile(config: Config): string {
  return path.join(config.dataDir, 'switchboard.db');
}

/** PostgreSQL when `DATABASE_URL` is set, else the SQLite file under `DATA_DIR`. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl, poolMax: config.databasePoolMax })
    : openDatabase({ kind: 'sqlite', file: sqliteFile(config) });
}

/** Open the database for `config` and bring its schema up to date. */
export async function createPlatform(
  config: Config,
  opts: { clock?: Clock; database?: Database; jobs?: DbJobQueueOptions } = {},
): Promise<Platform> {
  const database = opts.database ?? (await openConfiguredDatabase(config));
  try {
    await migrateToLatest(database);
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
  const clock = opts.clock ?? systemClock;
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, config.redisKeyPrefix) : undefined;
  const jobOptions = { concurrency: config.tasks.concurrency, ...opts.jobs };
  // BullMQ (and S3 below) load only when configured: an embedded start does not pay for loading them.
  const jobs =
    redis && config.tasks.backend === 'bullmq'
      ? (await import('./jobs/bullmq-queue.js')).createBullmqJobQueue(database, clock, redis, jobOptions)
      : createDbJobQueue(database, clock, jobOptions);
  const metrics = createMetrics();
  registerJobMetrics(metrics.registry, jobs);
  // A record outlives its last write by two heartbeat timeouts and the offline grace: long enough for a
  // surviving node's sweep to announce the user offline, short enough that a dead cluster forgets them.
  const presenceTtlMs = 2 * config.presence.heartbeatTimeoutMs + config.presence.offlineGraceMs;
  const presence = redis
    ? redisPresenceStore(redis.client, { prefix: redis.prefix, ttlMs: presenceTtlMs })
    : memoryPresenceStore();
  registerPresenceMetrics(metrics.registry, presence);
  return {
    config,
    database,
    clock,
    metrics,
    rateLimiter: redis ? redisRateLimiter(redis.client, redis.prefix, clock) : memoryRateLimiter(clock),
    presence,
    ...(redis ? { redis } : {}),
    jobs,
    blobs: await createBlobStore(config),
    close: () => jobs.stop().then(() => Promise.all([database.close(), redis?.close()]).then(() => {})),
  };
}
