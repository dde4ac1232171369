import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { registerOpenApi } from './http/openapi.js';
import { registerRateLimit } from './http/rate-limit.js';
import { requestId } from './http/request-id.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { loggerOptions } from './logger.js';
import { installAccessControl } from './modules/auth/access.hook.js';
import { installSocketAuth } from './modules/auth/auth.socket.js';
import { serverModules } from './modules.js';
import { type Clock, createPlatform, type Platform } from './platform/platform.js';
import { tokenBuckets } from './platform/token-bucket.js';
import { redisTokenBuckets } from './platform/token-bucket-redis.js';
import type { ModuleContext } from './server-module.js';
import { buildServices, type Services } from './services.js';
import { configureSocketEvents } from './socket/events-context.js';
import { installEventGate } from './socket/gate.js';
import { createSocketServer } from './socket/server.js';
import type { AppServer as SocketServer } from './socket/types.js';
import { VERSION } from './version.js';

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform;
    io: SocketServer;
    /** Every service of this app, built once in dependency order (services.ts). */
    services: Services;
  }
}

export interface BuildOptions {
  /** Use this platform (tests share one); otherwise one is created from `config` and closed with the app. */
  platform?: Platform;
  clock?: Clock;
  /** Write log lines here instead of stdout (tests read them). */
  logStream?: NodeJS.WritableStream;
}

/**
 * Build the whole service — HTTP routes, Socket.IO, storage — without listening, so tests can `inject()`
 * or `listen({ port: 0 })`.
 *
 * @example
 * ```ts
 * const app = await buildApp(loadConfig({ DATA_DIR: tmp }));
 * const res = await app.inject({ method: 'GET', url: '/healthz' });
 * await app.close();
 * ```
 */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const platform = opts.platform ?? (await createPlatform(config, { clock: opts.clock }));
  const app = Fastify({
    logger: loggerOptions(config, opts.logStream),
    genReqId: requestId,
    bodyLimit: config.bodyLimitBytes,
    // Behind a load balancer the client address comes from X-Forwarded-For; config decides later.
    trustProxy: false,
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    platform.metrics.httpRequestDuration.observe(
      // The route pattern, not the URL, so ids do not explode the label set.
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const io = createSocketServer(app.server, config);
  // Loaded only in cluster mode: an embedded start does not pay for loading the Redis adapter.
  if (platform.redis) (await import('./platform/socket-adapter.js')).attachRedisAdapter(io, platform.redis);
  configureSocketEvents(io, {
    errors: platform.metrics.errors,
    ...(config.socketEvents.perSecond > 0
      ? {
          buckets: platform.redis
            ? redisTokenBuckets(platform.redis.client, platform.redis.prefix, config.socketEvents)
            : tokenBuckets(config.socketEvents),
        }
      : {}),
  });
  const services = buildServices(platform, io, app.log);
  app.decorate('platform', platform);
  app.decorate('io', io);
  app.decorate('services', services);

  // Sockets first, so the HTTP server's close is not held open by upgraded connections.
  app.addHook('preClose', async () => {
    // Refuse new connections first: clients reconnecting while the queue drains (up to its grace) would
    // otherwise hold the HTTP server open and the close would never finish.
    io.engine.opts.allowRequest = (_req, callback) => callback('shutting down', false);
    io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    await services.close();
    await io.close();
    if (!opts.platform) await platform.close();
  });

  // Before any route exists: every route must declare its access, and every request and socket is checked.
  installAccessControl(app, platform);
  await registerRateLimit(app, config);
  // Every later line of an authenticated request names who made it (never what they sent). The request's
  // logger is its own (Fastify's child with the request id), so it takes the bindings itself: a second child
  // per request cost ~2.5% of the CPU of a no-op task submitted over REST.
  app.addHook('preParsing', async (request) => {
    if (request.actor)
      (request.log as Logger).setBindings({ userId: request.actor.userId, orgId: request.actor.orgId });
  });
  installSocketAuth(app, io, platform);

  // HSTS and upgrade-insecure-requests only make sense once the service is reached over HTTPS.
  installSecurityHeaders(app, config.publicUrl.startsWith('https:'));
  await app.register(cors, { origin: [...config.corsOrigins], credentials: true });
  await registerOpenApi(app, VERSION);
  app.decorateRequest('actor', null);

  const ctx: ModuleContext = { platform, io, services, log: app.log };
  for (const m of serverModules) {
    if (m.http) await app.register(async (scope) => m.http?.(scope, ctx));
  }
  for (const m of serverModules) m.events?.(ctx);
  const disconnected = () => platform.metrics.socketConnections.dec();
  io.on('connection', (socket) => {
    installEventGate(socket);
    platform.metrics.socketConnections.inc();
    socket.on('disconnect', disconnected);
    for (const m of serverModules) m.socket?.(socket, ctx);
  });
  return app;
}
