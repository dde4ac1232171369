import { z } from 'zod';
import { TimestampSchema } from './common.js';

/**
 * What a client SDK counts about its own connection and sends, so operators see how often real users fall
 * back to HTTP polling, reconnect, or time out while sending.
 * - `fallback_activated`: the socket was unusable and the client switched to polling the sync endpoint
 * - `reconnect_attempt`: one socket (re)connection attempt after a failure or a drop
 * - `send_timeout`: one send attempt got no answer within its timeout (it is retried)
 * - `send_success`: a message was stored by the server (counted once per message)
 * - `send_error`: one send attempt failed with an error other than a timeout
 */
export const ClientTelemetryEventSchema = z.enum([
  'fallback_activated',
  'reconnect_attempt',
  'send_timeout',
  'send_success',
  'send_error',
]);
export type ClientTelemetryEvent = z.infer<typeof ClientTelemetryEventSchema>;

/**
 * One monitoring event as the monitoring document defines it: what happened, when (client clock, ms), in
 * which client session (one per SDK client instance), and why (`transport close`, `connect_failures`,
 * `stalled`, an error code…).
 *
 * @example
 * ```json
 * { "type": "fallback_activated", "timestamp": 1767225000000, "sessionId": "c2f…", "reason": "stalled" }
 * ```
 */
export const ClientMonitoringEventSchema = z.object({
  type: ClientTelemetryEventSchema,
  timestamp: TimestampSchema,
  sessionId: z.string().min(1).max(100),
  reason: z.string().max(200).optional(),
});
export type ClientMonitoringEvent = z.infer<typeof ClientMonitoringEventSchema>;

/** Most events one batch carries in detail (the counts still count every one). */
export const TELEMETRY_MAX_EVENTS = 50;

/** Reconnect attempts in one client session from which the session counts as a reconnect storm (alerting). */
export const RECONNECTS_PER_SESSION_ALERT = 10;

/** Most occurrences one batch may report per event kind (a client reporting more is clamped). */
export const TELEMETRY_MAX_COUNT = 10_000;

/**
 * `POST /api/v1/telemetry`: counts since the client's previous report. The SDK sends one batch every
 * 30 s or so while anything was counted.
 *
 * @example
 * ```ts
 * const body: ClientTelemetryBatch = { counts: { reconnect_attempt: 3, send_success: 12 }, transport: 'websocket' };
 * ```
 */
export const ClientTelemetryBatchSchema = z.object({
  counts: z.partialRecord(ClientTelemetryEventSchema, z.number().int().min(0).max(TELEMETRY_MAX_COUNT)),
  /** How the client was connected when it reported (informational). */
  transport: z.enum(['websocket', 'polling', 'offline']).optional(),
  /** The SDK version, e.g. `0.1.0`. */
  sdkVersion: z.string().max(40).optional(),
  /** The client session (one per SDK client instance) the counts come from. */
  sessionId: z.string().min(1).max(100).optional(),
  /** Counts since the client session started (this batch included), so per-session thresholds can be told. */
  totals: z.partialRecord(ClientTelemetryEventSchema, z.number().int().min(0).max(1_000_000_000)).optional(),
  /** The latest events in detail, oldest first (at most TELEMETRY_MAX_EVENTS). */
  events: z.array(ClientMonitoringEventSchema).max(TELEMETRY_MAX_EVENTS).optional(),
});
export type ClientTelemetryBatch = z.input<typeof ClientTelemetryBatchSchema>;

/** The answer to a telemetry batch: how many occurrences were counted. */
export const ClientTelemetryAcceptedSchema = z.object({ accepted: z.number().int().nonnegative() });
export type ClientTelemetryAccepted = z.infer<typeof ClientTelemetryAcceptedSchema>;
