import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

const UNLIMITED = ['/healthz', '/readyz', '/metrics'];

/**
 * A request budget for every route: `RATE_LIMIT_PER_MINUTE` per user, or per IP for anonymous callers,
 * answered with 429 `rate_limited` and Retry-After. It runs after authentication (so it can key on the
 * user) and before the body is parsed (so a flood costs little). Health and metrics are exempt: probes must
 * never be throttled. Login has its own stricter throttle in the auth module.
 */
export async function registerRateLimit(app: FastifyInstance, config: Config): Promise<void> {
  if (config.rateLimitPerMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => (req.actor ? `user:${req.actor.userId}` : `ip:${req.ip}`),
    allowList: (req) => UNLIMITED.includes(req.url.split('?')[0] ?? ''),
    errorResponseBuilder: (_req, ctx) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new AppError('rate_limited', `Too many requests; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
    },
  });
}
