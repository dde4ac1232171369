import type { ClientTelemetryBatch } from '@switchboard/protocol';
import { ClientTelemetryBatchSchema } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { Telemetry } from './telemetry.js';

describe('sdk telemetry batches', () => {
  it('carry the session id, the session totals and each failure event with its timestamp and reason', async () => {
    const sent: ClientTelemetryBatch[] = [];
    let now = 1_000;
    const t = new Telemetry(
      async (b) => {
        sent.push(b);
      },
      0,
      () => 'websocket',
      () => {},
      () => now,
    );
    t.count('reconnect_attempt', 'transport close');
    now = 2_000;
    t.count('fallback_activated', 'stalled');
    t.count('send_success');
    await t.flush();
    t.count('send_timeout', 'timeout');
    await t.flush();
    expect(sent).toHaveLength(2);
    for (const b of sent) expect(ClientTelemetryBatchSchema.safeParse(b).success).toBe(true);
    expect(sent[0]).toMatchObject({
      sessionId: t.sessionId,
      counts: { reconnect_attempt: 1, fallback_activated: 1, send_success: 1 },
      events: [
        { type: 'reconnect_attempt', timestamp: 1_000, sessionId: t.sessionId, reason: 'transport close' },
        { type: 'fallback_activated', timestamp: 2_000, sessionId: t.sessionId, reason: 'stalled' },
      ],
    });
    expect(sent[1]?.totals).toMatchObject({ reconnect_attempt: 1, fallback_activated: 1, send_timeout: 1 });
    expect(sent[1]?.events).toEqual([
      { type: 'send_timeout', timestamp: 2_000, sessionId: t.sessionId, reason: 'timeout' },
    ]);
  });

  it('puts counts and events back when a report fails', async () => {
    let fail = true;
    const sent: ClientTelemetryBatch[] = [];
    const t = new Telemetry(
      async (b) => {
        if (fail) throw Object.assign(new Error('offline'), { code: 'network' });
        sent.push(b);
      },
      0,
      () => 'offline',
    );
    t.count('reconnect_attempt', 'connect_error: xhr poll error');
    await t.flush();
    fail = false;
    await t.flush();
    expect(sent[0]?.events?.map((e) => e.reason)).toEqual(['connect_error: xhr poll error']);
  });
});
