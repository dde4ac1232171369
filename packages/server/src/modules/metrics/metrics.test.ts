import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { testConfig } from '../../test/config.js';

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics without a token', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig());
  });
  afterAll(() => app.close());

  it('serves loopback callers the core series, and they move with events', async () => {
    const before = (await app.inject('/metrics')).body;
    expect(before).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(before).toContain('# TYPE socketio_connections gauge');
    expect(sample(before, 'messenger_errors_total{code="route_not_found"}')).toBeUndefined();

    await app.inject('/api/v1/nope');
    await app.inject('/api/v1/nope');
    await app.inject('/healthz');
    const after = await app.inject('/metrics');
    expect(after.statusCode).toBe(200);
    expect(after.headers['content-type']).toMatch(/^text\/plain/);
    expect(sample(after.body, 'messenger_errors_total{code="route_not_found"}')).toBe(2);
    expect(
      sample(after.body, 'http_request_duration_seconds_count{method="GET",route="/healthz",status_code="200"}'),
    ).toBe(1);
  });

  it('refuses callers from other addresses', async () => {
    const res = await app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig({ METRICS_TOKEN: 'a-long-metrics-token-123' }));
  });
  afterAll(() => app.close());

  it('needs the bearer token, from any address', async () => {
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    const wrong = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({
      url: '/metrics',
      remoteAddress: '10.1.2.3',
      headers: { authorization: 'Bearer a-long-metrics-token-123' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('http_request_duration_seconds');
  });
});
