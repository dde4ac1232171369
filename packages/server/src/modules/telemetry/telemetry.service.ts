import {
  type ClientTelemetryAccepted,
  type ClientTelemetryBatch,
  ClientTelemetryBatchSchema,
  ClientTelemetryEventSchema,
} from '@switchboard/protocol';
import { Counter, type Registry } from 'prom-client';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { RateRule } from '../../platform/rate-limit.js';

/** Batches per session: a well-behaved SDK reports about twice a minute, so this only stops abuse. */
export const TELEMETRY_RATE_RULE: RateRule = { limit: 20, windowMs: 60_000 };

/** One counter per app registry (several apps may share a process in tests, never a registry). */
const counters = new WeakMap<Registry, Counter<'event'>>();

function counterOf(registry: Registry): Counter<'event'> {
  let counter = counters.get(registry);
  if (!counter) {
    counter = new Counter({
      name: 'client_telemetry_events_total',
      help: 'Events reported by client SDKs: fallback activations, reconnect attempts, send timeouts, successes, errors',
      labelNames: ['event'],
      registers: [registry],
    });
    // Every series exists from the start, so rate() works before the first report of a kind.
    for (const event of ClientTelemetryEventSchema.options) counter.inc({ event }, 0);
    counters.set(registry, counter);
  }
  return counter;
}

/**
 * Client telemetry: adds a client's reported counts to `client_telemetry_events_total{event}`. Rate-limited
 * per session through the platform rate limiter (shared by every node in cluster mode).
 *
 * @example
 * ```ts
 * await telemetryService(platform).report(actor, { counts: { send_timeout: 2 } }); // { accepted: 2 }
 * ```
 */
export function telemetryService(platform: Platform) {
  const counter = counterOf(platform.metrics.registry);
  return {
    async report(actor: Actor, input: ClientTelemetryBatch): Promise<ClientTelemetryAccepted> {
      const batch = ClientTelemetryBatchSchema.parse(input);
      const key = `telemetry:${actor.sessionId}`;
      const verdict = await platform.rateLimiter.check(key, TELEMETRY_RATE_RULE);
      if (verdict.limited) {
        const retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
        throw new AppError('rate_limited', `Too many telemetry reports; retry in ${retryAfterSeconds} s`, {
          retryAfterSeconds,
        });
      }
      await platform.rateLimiter.hit(key, TELEMETRY_RATE_RULE);
      let accepted = 0;
      for (const [event, count] of Object.entries(batch.counts)) {
        if (!count) continue;
        counter.inc({ event }, count);
        accepted += count;
      }
      return { accepted };
    },
  };
}
export type TelemetryService = ReturnType<typeof telemetryService>;
