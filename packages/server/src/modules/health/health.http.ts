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
        summary: 'Ready to serve: database reachable and migrated',
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_req, reply) => {
      const checks = { database: await databaseCheck(platform) };
      const ready = Object.values(checks).every((c) => c.ok);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
}
