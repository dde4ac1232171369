import {
  type ClientMonitoringEvent,
  type ClientTelemetryBatch,
  type ClientTelemetryEvent,
  TELEMETRY_MAX_COUNT,
  TELEMETRY_MAX_EVENTS,
} from '@switchboard/protocol';
import { toSwitchboardError } from './errors.js';

/**
 * Counts the client's reliability events and reports them in batches (`POST /api/v1/telemetry`): the counts,
 * this client session's totals, and the latest events with timestamp, session id and reason. A failed report
 * puts its counts and events back, so nothing is lost while the server is unreachable.
 *
 * @example
 * ```ts
 * const t = new Telemetry((batch) => rest.api.telemetry(batch), 30_000);
 * t.count('reconnect_attempt', 'transport close');
 * await t.flush();
 * ```
 */
export class Telemetry {
  private pending: Partial<Record<ClientTelemetryEvent, number>> = {};
  private events: ClientMonitoringEvent[] = [];
  /** This client session: one per client instance, so a server can tell sessions apart in the counts. */
  readonly sessionId: string = globalThis.crypto.randomUUID();
  /** Everything counted since the client started (reported or not). */
  readonly totals: Record<ClientTelemetryEvent, number> = {
    fallback_activated: 0,
    reconnect_attempt: 0,
    send_timeout: 0,
    send_success: 0,
    send_error: 0,
  };
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly report: (batch: ClientTelemetryBatch) => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly transport: () => ClientTelemetryBatch['transport'],
    private readonly onCount: (event: ClientTelemetryEvent, detail: ClientMonitoringEvent) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  count(event: ClientTelemetryEvent, reason?: string): void {
    this.totals[event]++;
    this.pending[event] = (this.pending[event] ?? 0) + 1;
    const detail: ClientMonitoringEvent = { type: event, timestamp: this.now(), sessionId: this.sessionId };
    if (reason) detail.reason = reason.slice(0, 200);
    // Successes are only counted: the details worth keeping are the failures.
    if (event !== 'send_success') this.events = [...this.events, detail].slice(-TELEMETRY_MAX_EVENTS);
    this.onCount(event, detail);
  }

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Send what was counted since the last report (nothing when nothing was counted). */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async doFlush(): Promise<void> {
    const counts = this.pending;
    if (Object.keys(counts).length === 0) return;
    const events = this.events;
    this.pending = {};
    this.events = [];
    for (const k of Object.keys(counts) as ClientTelemetryEvent[]) {
      counts[k] = Math.min(counts[k] ?? 0, TELEMETRY_MAX_COUNT);
    }
    try {
      await this.report({
        counts,
        transport: this.transport(),
        sdkVersion: SDK_VERSION,
        sessionId: this.sessionId,
        totals: { ...this.totals },
        events,
      });
    } catch (err) {
      // A batch the server refuses outright would be refused forever: drop it rather than grow it.
      if (!toSwitchboardError(err).retryable) return;
      for (const [k, v] of Object.entries(counts) as [ClientTelemetryEvent, number][]) {
        this.pending[k] = (this.pending[k] ?? 0) + v;
      }
      this.events = [...events, ...this.events].slice(-TELEMETRY_MAX_EVENTS);
    }
  }
}

export const SDK_VERSION = '0.1.0';
