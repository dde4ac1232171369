import { type ClientTelemetryBatch, messengerRouteDefs as routes } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * Report the client SDK's counters (fallbacks, reconnects, send timeouts) since the previous report.
 *
 * @example
 * ```ts
 * await client.api.telemetry({ counts: { reconnect_attempt: 2 }, sdkVersion: SDK_VERSION });
 * ```
 */
export const telemetryApi = (call: RestCall) => (batch: ClientTelemetryBatch) =>
  callRoute(call, routes.reportTelemetry, { body: batch });
