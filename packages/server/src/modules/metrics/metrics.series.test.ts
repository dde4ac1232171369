import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { bearer, connectSocket, createOrgWithUsers, listen, type OrgFixture, sessionFor } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { until } from '../../test/waits.js';

const DASHBOARD = new URL('../../../../../docs/ops/grafana-dashboard.json', import.meta.url);

/** The value of one sample line (`name{labels} value`), or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const waitFor = (fn: () => Promise<boolean>, timeoutMs = 15_000) => until('the series to move', fn, timeoutMs, 50);

/** Every series the operations docs name is scraped here, and each one moves when its event happens. */
describe('named metric series', () => {
  let app: FastifyInstance;
  let fx: OrgFixture;
  let token: string;
  let socket: Socket;
  const scrape = async () => (await app.inject('/metrics')).body;

  beforeAll(async () => {
    // An LLM endpoint is configured (never called here) so its series exist, as they would in production.
    app = await buildApp(testConfig({ AI_BASE_URL: 'http://127.0.0.1:9/v1', AI_MODEL: 'unused' }));
    fx = await createOrgWithUsers(app.platform);
    token = (await sessionFor(app.platform, fx.users.agent)).accessToken;
  });
  afterAll(async () => {
    socket?.close();
    await app.close();
  });

  it('socket, presence, messenger, error, HTTP, task and telemetry series move with their events', async () => {
    const before = await scrape();
    expect(sample(before, 'socketio_connections')).toBe(0);
    expect(sample(before, 'messenger_connected_users')).toBe(0);

    socket = await connectSocket(await listen(app), token);
    await waitFor(async () => sample(await scrape(), 'messenger_connected_users') === 1);
    expect(sample(await scrape(), 'socketio_connections')).toBe(1);

    const conv = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: bearer(token),
      payload: { kind: 'direct', userId: fx.users.supervisor.id },
    });
    const conversationId = conv.json().conversation.id as string;
    const clientMsgId = randomUUID();
    for (let i = 0; i < 2; i++) {
      const ack = await socket.emitWithAck('message.send', { conversationId, clientMsgId, text: 'hello' });
      expect(ack.ok).toBe(true);
    }
    const bad = await socket.emitWithAck('message.send', { conversationId, clientMsgId: 'x', text: 'hello' });
    expect(bad.error.code).toBe('validation_failed');

    const task = await app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: bearer(token),
      payload: { type: 'demo.sleep', payload: { seconds: 0, steps: 1 } },
    });
    expect(task.statusCode).toBeLessThan(300);
    await waitFor(async () => (await scrape()).includes('tasks_finished_total{type="demo.sleep",state="succeeded"} 1'));

    const telemetry = await app.inject({
      method: 'POST',
      url: '/api/v1/telemetry',
      headers: bearer(token),
      payload: { counts: { reconnect_attempt: 3, send_success: 2 } },
    });
    expect(telemetry.statusCode).toBe(202);

    const after = await scrape();
    expect(sample(after, 'messenger_messages_total{result="created"}')).toBe(1);
    expect(sample(after, 'messenger_messages_total{result="duplicate"}')).toBe(1);
    expect(sample(after, 'messenger_message_send_duration_seconds_count')).toBe(2);
    expect(sample(after, 'messenger_errors_total{code="validation_failed"}')).toBe(1);
    expect(
      sample(after, 'http_request_duration_seconds_count{method="POST",route="/api/v1/tasks",status_code="202"}') ??
        sample(after, 'http_request_duration_seconds_count{method="POST",route="/api/v1/tasks",status_code="201"}'),
    ).toBe(1);
    // Every stored message also queues a notifications task, so the untyped gauge counts those too.
    expect(sample(after, 'tasks_current{state="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'task_duration_seconds_count{type="demo.sleep",state="succeeded"}')).toBe(1);
    expect(sample(after, 'client_telemetry_events_total{event="reconnect_attempt"}')).toBe(3);
    expect(sample(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);

    socket.close();
    await waitFor(async () => sample(await scrape(), 'socketio_connections') === 0);
  });

  it('the Grafana dashboard charts only series the server exports', async () => {
    const exported = new Set(
      (await scrape())
        .split('\n')
        .filter((l) => l.startsWith('# TYPE '))
        .flatMap((l) => {
          const [, , name, type] = l.split(' ');
          return type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name ?? ''];
        }),
    );
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    const PROMQL = new Set(['sum', 'rate', 'histogram_quantile', 'increase', 'max', 'avg', 'clamp_min']);
    const metricNames = (expr: string) =>
      (
        expr
          .replace(/\b(by|without)\s*\([^)]*\)/g, '') // grouping labels
          .replace(/\{[^}]*\}|\[[^\]]*\]|"[^"]*"/g, '') // matchers, ranges, strings
          .match(/\b[a-z_][a-z0-9_]*\b/g) ?? []
      ).filter((w) => !PROMQL.has(w));
    const used = new Set(exprs.flatMap(metricNames));
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) expect(exported, `dashboard uses ${name}`).toContain(name);
  });
});
