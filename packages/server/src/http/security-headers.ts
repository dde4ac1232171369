import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * helmet's security headers (CSP, frame and referrer policies…) on every response; HSTS and
 * upgrade-insecure-requests only when the service is reached over HTTPS. The middleware is built once:
 * @fastify/helmet builds it again for every request, 1–2% of a core at a few hundred requests/s in the tasks
 * benchmark. A route changes a header with `reply.header` (the widget's framing, for one).
 */
export function installSecurityHeaders(app: FastifyInstance, https: boolean): void {
  const apply = helmet({
    hsts: https,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: https ? [] : null } },
  });
  app.addHook('onRequest', (request, reply, done) => apply(request.raw, reply.raw, (err) => done(err as Error)));
}
