import {
  type ClientTelemetryAccepted,
  type ClientTelemetryBatch,
  ClientTelemetryBatchSchema,
  ClientTelemetryEventSchema,
  RECONNECTS_PER_SESSION_ALERT,
} from '@switchboard/protocol';
import { Counter, type Registry } from 'prom-client';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { RateRule } from '../../platform/rate-limit.js';

/** Batches per session: a well-behaved SDK reports about twice a minute, so this only stops abuse. */
export const TELEMETRY_RATE_RULE: RateRule = { limit: 20, windowMs: 60_000 };

interface TelemetrySeries {
  events: Counter<'event'>;
  storms: Counter;
}

/** One set of series per app registry (several apps may share a process in tests, never a registry). */
const counters = new WeakMap<Registry, TelemetrySeries>();

function counterOf(registry: Registry): TelemetrySeries {
  let series = counters.get(registry);
  if (!series) {
    const counter = new Counter<'event'>({
      name: 'client_telemetry_events_total',
      help: 'Events reported by client SDKs: fallback activations, reconnect attempts, send timeouts, successes, errors',
      labelNames: ['event'],
      registers: [registry],
    });
    // Every series exists from the start, so rate() works before the first report of a kind.
    for (const event of ClientTelemetryEventSchema.options) counter.inc({ event }, 0);
    const storms = new Counter({
      name: 'client_sessions_reconnect_storm_total',
      help: `Client sessions whose reconnect attempts reached ${RECONNECTS_PER_SESSION_ALERT} (counted once per session)`,
      registers: [registry],
    });
    series = { events: counter, storms };
    counters.set(registry, series);
  }
  return series;
}

/**
 * Whether this batch took its session across the reconnect threshold: its session total reached it and the
 * total before the batch had not. Stateless, so any node may receive any batch.
 */
export function crossesReconnectThreshold(batch: ClientTelemetryBatch): boolean {
  const total = batch.totals?.reconnect_attempt;
  if (total === undefined) return false;
  const before = total - (batch.counts.reconnect_attempt ?? 0);
  return before < RECONNECTS_PER_SESSION_ALERT && total >= RECONNECTS_PER_SESSION_ALERT;
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
  const { events: counter, storms } = counterOf(platform.metrics.registry);
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
      if (crossesReconnectThreshold(batch)) storms.inc();
      return { accepted };
    },
  };
}
export type TelemetryService = ReturnType<typeof telemetryService>;
