import { HealthSchema, ReadinessSchema } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pendingMigrations } from '../../platform/db/migrations.js';
import type { Platform } from '../../platform/platform.js';

type Check = { ok: boolean; detail?: string };

async function databaseCheck(platform: Platform): Promise<Check> {
  try {
    await platform.database.ping();
  } catch (err) {
    return { ok: false, detail: `unreachable: ${(err as Error).message}` };
  }
  const pending = await pendingMigrations(platform.database);
  return pending.length === 0 ? { ok: true } : { ok: false, detail: `pending migrations: ${pending.join(', ')}` };
}

/** Cluster mode: a round trip to Redis, bounded so an unreachable Redis answers quickly. */
async function redisCheck(platform: Platform): Promise<Check | undefined> {
  const redis = platform.redis;
  if (!redis) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2000);
  });
  try {
    await Promise.race([redis.ping(), timeout]);
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: `unreachable: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(app: FastifyInstance, { platform }: { platform: Platform }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const started = Date.now();

  r.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], summary: 'The process is up', response: { 200: HealthSchema } },
    },
    async () => ({ status: 'ok' as const, uptimeSeconds: Math.round((Date.now() - started) / 1000) }),
  );

  r.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary:
          'Ready to serve: database reachable and migrated. In cluster mode an unreachable Redis answers 200 "degraded"',
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_req, reply) => {
      const [database, redis] = await Promise.all([databaseCheck(platform), redisCheck(platform)]);
      const checks = { database, ...(redis ? { redis } : {}) };
      // Without its database a node can serve nothing; without Redis it still serves its own sockets.
      if (!database.ok) return reply.status(503).send({ status: 'not_ready' as const, checks });
      return reply.send({ status: redis && !redis.ok ? ('degraded' as const) : ('ready' as const), checks });
    },
  );
}
