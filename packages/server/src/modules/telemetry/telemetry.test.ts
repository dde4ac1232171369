import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { bearer, createOrgWithUsers, type OrgFixture, sessionFor } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { TELEMETRY_RATE_RULE } from './telemetry.service.js';

async function seriesOf(app: FastifyInstance): Promise<Record<string, number>> {
  const metric = (await app.platform.metrics.registry.getMetricsAsJSON()).find(
    (m) => m.name === 'client_telemetry_events_total',
  );
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.event), v.value]));
}

describe('client telemetry', () => {
  let app: FastifyInstance;
  let a: OrgFixture;

  beforeAll(async () => {
    app = await buildApp(testConfig());
    a = await createOrgWithUsers(app.platform);
  });
  afterAll(async () => app.close());

  const post = (token: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: bearer(token), payload });

  it('adds reported counts to client_telemetry_events_total{event}, every kind present from the start', async () => {
    const before = await seriesOf(app);
    expect(Object.keys(before).sort()).toEqual([
      'fallback_activated',
      'reconnect_attempt',
      'send_error',
      'send_success',
      'send_timeout',
    ]);
    const { accessToken } = await sessionFor(app.platform, a.users.agent);
    const res = await post(accessToken, { counts: { fallback_activated: 1, send_timeout: 3 }, transport: 'polling' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 4 });
    const after = await seriesOf(app);
    expect(after.fallback_activated).toBe((before.fallback_activated ?? 0) + 1);
    expect(after.send_timeout).toBe((before.send_timeout ?? 0) + 3);
    expect(after.send_success).toBe(before.send_success);
  });

  it('counts a client session once when its reconnect attempts reach 10 (client_sessions_reconnect_storm_total)', async () => {
    const storms = async () =>
      (await app.platform.metrics.registry.getSingleMetric('client_sessions_reconnect_storm_total')?.get())?.values[0]
        ?.value ?? 0;
    const before = await storms();
    const { accessToken } = await sessionFor(app.platform, a.users.supervisor);
    const batch = (count: number, total: number) => ({
      counts: { reconnect_attempt: count },
      sessionId: 'client-1',
      totals: { reconnect_attempt: total },
      events: [
        { type: 'reconnect_attempt', timestamp: 1767225000000, sessionId: 'client-1', reason: 'transport close' },
      ],
    });
    expect((await post(accessToken, batch(6, 6))).statusCode).toBe(202);
    expect(await storms()).toBe(before);
    expect((await post(accessToken, batch(5, 11))).statusCode).toBe(202);
    expect(await storms()).toBe(before + 1);
    expect((await post(accessToken, batch(3, 14))).statusCode).toBe(202);
    expect(await storms()).toBe(before + 1);
  });

  it('refuses unknown kinds, negative counts and anonymous callers', async () => {
    const { accessToken } = await sessionFor(app.platform, a.users.customer);
    expect((await post(accessToken, { counts: { bogus: 1 } })).statusCode).toBe(400);
    expect((await post(accessToken, { counts: { send_error: -1 } })).statusCode).toBe(400);
    const anon = await app.inject({ method: 'POST', url: '/api/v1/telemetry', payload: { counts: {} } });
    expect(anon.statusCode).toBe(401);
  });

  it('rate-limits each session, not the others', async () => {
    const one = await sessionFor(app.platform, a.users.agent);
    const other = await sessionFor(app.platform, a.users.agent);
    for (let i = 0; i < TELEMETRY_RATE_RULE.limit; i++) {
      expect((await post(one.accessToken, { counts: { send_success: 1 } })).statusCode).toBe(202);
    }
    const limited = await post(one.accessToken, { counts: { send_success: 1 } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect((await post(other.accessToken, { counts: { send_success: 1 } })).statusCode).toBe(202);
  });
});
