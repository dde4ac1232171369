import path from 'node:path';
import { z } from 'zod';
import { type BackupConfig, backupConfig } from './config-backup.js';
import { ConfigError } from './config-error.js';
import { type FilesConfig, filesConfig } from './config-files.js';
import { type TaskConfig, taskConfig } from './config-tasks.js';

export { ConfigError } from './config-error.js';
export type { FilesConfig } from './config-files.js';
export type { TaskConfig } from './config-tasks.js';

/**
 * The only reader of `process.env`. Parsed once at boot, validated and frozen; a bad value stops the boot
 * with a message that names the variable.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

/**
 * The push services of Chrome/Edge (FCM), Firefox (Mozilla autopush), Edge (WNS) and Safari (Apple): a
 * subscription naming another host is refused, so the server never posts to an address a user picked (SSRF).
 */
const DEFAULT_PUSH_SERVICE_HOSTS =
  'fcm.googleapis.com,android.googleapis.com,*.push.services.mozilla.com,*.notify.windows.com,*.push.apple.com';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: port.default(3000),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 : _ . -')
    .default('switchboard:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  CORS_ORIGINS: z.string().optional(),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  DEMO_SEED: bool.optional(),
  BACKUP_CRON: z.string().max(200).optional(),
  BACKUP_DIR: z.string().optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
  TASK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  TASK_MAX_PENDING_PER_USER: z.coerce.number().int().min(1).max(100_000).default(20),
  TASK_MAX_PENDING_PER_ORG: z.coerce.number().int().min(1).max(1_000_000).default(200),
  TASKS_BACKEND: z.enum(['database', 'bullmq']).optional(),
  TASK_WORKERS: z.string().optional(),
  TASK_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TASK_SIGNING_SECRET_NEXT: z.string().min(32, 'must be at least 32 characters').optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  SOCKET_EVENTS_PER_SECOND: z.coerce.number().int().min(0).max(100_000).default(50),
  SOCKET_EVENTS_BURST: z.coerce.number().int().min(1).max(100_000).default(100),
  PRESENCE_IDLE_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  AI_BASE_URL: url(['http:', 'https:']).optional(),
  AI_API_KEY: z.string().optional(),
  AI_MODEL: z.string().min(1).optional(),
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8_000),
  AI_FALLBACK: z.enum(['builtin', 'human']).default('builtin'),
  AI_PROVIDER: z.enum(['openai-compatible', 'anthropic']).default('openai-compatible'),
  AI_EMBEDDING_MODEL: z.string().min(1).optional(),
  AI_EMBEDDING_BASE_URL: url(['http:', 'https:']).optional(),
  AI_EMBEDDING_API_KEY: z.string().optional(),
  PRESENCE_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  PRESENCE_OFFLINE_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
  MESSENGER_SYNC_MAX_GAP: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(900),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  SESSION_LIFETIME_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365 * 24)
    .default(7 * 24),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  SMTP_FROM: z.string().min(3).default('Switchboard <no-reply@localhost>'),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'must be a base64url P-256 public key')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url P-256 private key')
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, 'must start with mailto: or https://')
    .optional(),
  PUSH_SERVICE_HOSTS: z
    .string()
    .default(DEFAULT_PUSH_SERVICE_HOSTS)
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/, 'host names, `*.` for any subdomain')).min(1)),
  NOTIFY_DIGEST_OFFLINE_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  NOTIFY_DIGEST_MIN_UNREAD: z.coerce.number().int().min(1).max(10_000).default(5),
  FILES_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  FILES_MAX_PIXELS: z.coerce.number().int().min(1).max(1_000_000_000).default(50_000_000),
  FILES_DELETE_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(90 * 86_400_000)
    .default(86_400_000),
  FILES_SERVE_UNSCANNED: bool.optional(),
  CLAMD_SOCKET: z.string().min(1).optional(),
  BLOB_STORE: z.enum(['disk', 's3']).default('disk'),
  S3_ENDPOINT: url(['http:', 'https:']).optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
});

/** The parsed environment, before it becomes a `Config`. */
export type Env = z.infer<typeof EnvSchema>;

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  redisUrl: string | undefined;
  /** Prepended to every Redis key and stream of this deployment (several deployments can share a Redis). */
  redisKeyPrefix: string;
  logLevel: string;
  logPretty: boolean;
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /** Create the demo org on start when the database has no org yet. */
  demoSeed: boolean;
  /** Scheduled backups (`BACKUP_CRON`, `BACKUP_DIR`, `BACKUP_KEEP`). */
  backup: BackupConfig;
  /** Task queue workers in this process; external task types (`type → worker URL`) and their signing keys. */
  tasks: TaskConfig;
  /** LLM responder (OpenAI-compatible); absent `baseUrl` means the built-in responder only. */
  ai: Readonly<{
    baseUrl?: string;
    apiKey?: string;
    model?: string;
    timeoutMs: number;
    fallback: 'builtin' | 'human';
  }> &
    Readonly<{
      /** Wire protocol of the LLM: OpenAI chat completions or Anthropic Messages (`baseUrl` optional there). */
      provider: 'openai-compatible' | 'anthropic';
      /** OpenAI-compatible /embeddings model for hybrid retrieval; absent = lexical retrieval only. */
      embedding?: Readonly<{ baseUrl: string; apiKey?: string; model: string }>;
    }>;
  /** Bearer token for /metrics; without it /metrics answers loopback callers only. */
  metricsToken: string | undefined;
  /** REST requests per minute per user (per IP when anonymous); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Socket events per second per user, and the burst allowed above it; 0 per second turns it off. */
  socketEvents: Readonly<{ perSecond: number; burst: number }>;
  /** Idle time before online turns away; heartbeat silence before a device is gone; grace after the last device closes. */
  presence: Readonly<{ idleMs: number; heartbeatTimeoutMs: number; offlineGraceMs: number }>;
  /** Sync serves at most this many events of one conversation; further behind, the client must reload it. */
  messengerSyncMaxGap: number;
  /** HS256 key for access tokens; unset in embedded mode = generated once and kept in DATA_DIR. */
  jwtSecret: string | undefined;
  accessTokenTtlMs: number;
  /** A session with no activity (request or refresh) for this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however active. */
  sessionLifetimeMs: number;
  /** Email digests (SMTP; unset URL = no email) and Web Push (VAPID; unset keys = generated once, in the database). */
  notifications: NotificationConfig;
  /** Attachments: limits, the virus scanner, the blob store (see FilesConfig). */
  files: FilesConfig;
}>;

/**
 * Parse the environment into a frozen `Config`.
 *
 * @example
 * ```ts
 * const config = loadConfig({ PORT: '0', DATA_DIR: tmpDir });
 * ```
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  opts: { isTTY?: boolean } = {},
): Config {
  // An empty variable means "not set": shells and compose files often export VAR= for defaults.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const got = present[name] === undefined ? '' : ` (got ${JSON.stringify(present[name])})`;
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid'}${got}`);
  }
  const e = parsed.data;
  // Every node of a cluster must sign and verify with the same key; a per-node generated one would log
  // users out whenever the load balancer switches node.
  if (e.DATABASE_URL && !e.JWT_SECRET) {
    throw new ConfigError('JWT_SECRET: required when DATABASE_URL is set (all nodes must share it)');
  }
  if (e.AI_BASE_URL && !e.AI_MODEL) throw new ConfigError('AI_MODEL: required when AI_BASE_URL is set');
  if (!e.VAPID_PUBLIC_KEY !== !e.VAPID_PRIVATE_KEY) {
    throw new ConfigError('VAPID_PRIVATE_KEY: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are set together or not at all');
  }
  if (e.AI_PROVIDER === 'anthropic' && (!e.AI_MODEL || !e.AI_API_KEY))
    throw new ConfigError('AI_PROVIDER: anthropic needs AI_MODEL and AI_API_KEY');
  // Anthropic has no embeddings endpoint: there the embedding endpoint must be named on its own.
  const embeddingBaseUrl = e.AI_EMBEDDING_BASE_URL ?? (e.AI_PROVIDER === 'anthropic' ? undefined : e.AI_BASE_URL);
  if (e.AI_EMBEDDING_MODEL && !embeddingBaseUrl)
    throw new ConfigError('AI_EMBEDDING_MODEL: needs AI_EMBEDDING_BASE_URL (or an OpenAI-compatible AI_BASE_URL)');
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const corsOrigins = (e.CORS_ORIGINS ?? new URL(publicUrl).origin)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(`CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://chat.example.com`);
    }
  }
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY ?? opts.isTTY ?? process.stdout.isTTY === true,
    corsOrigins: Object.freeze(corsOrigins),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    demoSeed: e.DEMO_SEED ?? e.DATABASE_URL === undefined,
    tasks: taskConfig(e),
    backup: backupConfig(e, path.resolve(e.DATA_DIR)),
    ai: Object.freeze({
      baseUrl: e.AI_BASE_URL,
      apiKey: e.AI_API_KEY,
      model: e.AI_MODEL,
      timeoutMs: e.AI_TIMEOUT_MS,
      fallback: e.AI_FALLBACK,
      provider: e.AI_PROVIDER,
      embedding:
        e.AI_EMBEDDING_MODEL && embeddingBaseUrl
          ? Object.freeze({
              baseUrl: embeddingBaseUrl,
              apiKey: e.AI_EMBEDDING_API_KEY ?? (e.AI_EMBEDDING_BASE_URL ? undefined : e.AI_API_KEY),
              model: e.AI_EMBEDDING_MODEL,
            })
          : undefined,
    }),
    metricsToken: e.METRICS_TOKEN,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    socketEvents: Object.freeze({ perSecond: e.SOCKET_EVENTS_PER_SECOND, burst: e.SOCKET_EVENTS_BURST }),
    presence: Object.freeze({
      idleMs: e.PRESENCE_IDLE_MS,
      heartbeatTimeoutMs: e.PRESENCE_HEARTBEAT_TIMEOUT_MS,
      offlineGraceMs: e.PRESENCE_OFFLINE_GRACE_MS,
    }),
    messengerSyncMaxGap: e.MESSENGER_SYNC_MAX_GAP,
    jwtSecret: e.JWT_SECRET,
    accessTokenTtlMs: e.ACCESS_TOKEN_TTL_SECONDS * 1000,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionLifetimeMs: e.SESSION_LIFETIME_HOURS * 3_600_000,
    notifications: Object.freeze({
      smtpUrl: e.SMTP_URL,
      smtpFrom: e.SMTP_FROM,
      vapid: Object.freeze({
        publicKey: e.VAPID_PUBLIC_KEY,
        privateKey: e.VAPID_PRIVATE_KEY,
        subject: e.VAPID_SUBJECT ?? (publicUrl.startsWith('https://') ? publicUrl : 'mailto:admin@localhost'),
      }),
      pushServiceHosts: Object.freeze(e.PUSH_SERVICE_HOSTS),
      digestOfflineMs: e.NOTIFY_DIGEST_OFFLINE_HOURS * 3_600_000,
      digestMinUnread: e.NOTIFY_DIGEST_MIN_UNREAD,
    }),
    files: filesConfig(e),
  });
}

export type NotificationConfig = Readonly<{
  smtpUrl: string | undefined;
  smtpFrom: string;
  vapid: Readonly<{ publicKey?: string; privateKey?: string; subject: string }>;
  /** Hosts a push subscription's endpoint may name (`*.` = any subdomain): the browsers' push services. */
  pushServiceHosts: readonly string[];
  digestOfflineMs: number;
  digestMinUnread: number;
}>;
