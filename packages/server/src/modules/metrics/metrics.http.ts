import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { ModuleContext } from '../../server-module.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** With `METRICS_TOKEN` set, a matching bearer token is required; without it, only loopback callers. */
function authorize(request: FastifyRequest, token: string | undefined): void {
  if (token) {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!given) throw new AppError('unauthenticated', 'metrics need the bearer METRICS_TOKEN');
    if (!sameSecret(given, token)) throw new AppError('forbidden', 'wrong metrics token');
    return;
  }
  if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) {
    throw new AppError('forbidden', 'metrics are served to loopback only unless METRICS_TOKEN is set');
  }
}

export async function metricsRoutes(app: FastifyInstance, { platform }: ModuleContext) {
  app.get(
    '/metrics',
    {
      // Guarded by its own token rule above, not by user sessions: Prometheus has no user.
      config: { access: 'public' },
      schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', hide: false },
    },
    async (request, reply) => {
      authorize(request, platform.config.metricsToken);
      const { registry } = platform.metrics;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
