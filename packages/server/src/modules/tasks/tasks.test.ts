import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ExternalTaskDelivery,
  TASK_SIGNATURE_HEADER,
  type Task,
  type TaskUpdatedEvent,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { waitFor } from '../../platform/jobs/test-waits.js';
import { createPlatform } from '../../platform/platform.js';
import { bearer, connectSocket, createOrgWithUsers, listen, type OrgFixture, sessionFor } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { signatureHeader, verifySignature } from './signing.js';

const CURRENT = 'current-signing-secret-0123456789abcdef';
const NEXT = 'next-signing-secret-0123456789abcdef0000';

describe('task API: REST, live task.updated, external worker with signed callbacks', () => {
  let app: FastifyInstance;
  let url: string;
  let org: OrgFixture;
  const tokens: Record<string, string> = {};
  const sockets: Socket[] = [];
  const heard: Record<string, TaskUpdatedEvent[]> = { agent: [], admin: [], customer: [] };
  let worker: Server;
  const deliveries: { delivery: ExternalTaskDelivery; verified: boolean }[] = [];

  beforeAll(async () => {
    // A real external worker on port 0: checks the server's signature and accepts the delivery.
    worker = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const v = verifySignature(req.headers[TASK_SIGNATURE_HEADER] as string, body, [CURRENT], Date.now());
        deliveries.push({ delivery: JSON.parse(body), verified: v.ok });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => worker.listen(0, '127.0.0.1', r));
    const workerUrl = `http://127.0.0.1:${(worker.address() as AddressInfo).port}/work`;
    const config = testConfig({
      TASK_WORKERS: `ext.render=${workerUrl}`,
      TASK_SIGNING_SECRET: CURRENT,
      TASK_SIGNING_SECRET_NEXT: NEXT,
    });
    const platform = await createPlatform(config, {
      jobs: { pollIntervalMs: 20, backoffBaseMs: 20, stopGraceMs: 100 },
    });
    app = await buildApp(config, { platform });
    app.addHook('onClose', () => platform.close());
    org = await createOrgWithUsers(app.platform);
    url = await listen(app);
    for (const role of ['agent', 'admin', 'customer'] as const) {
      tokens[role] = (await sessionFor(app.platform, org.users[role])).accessToken;
      const s = await connectSocket(url, tokens[role]);
      s.on('task.updated', (t: TaskUpdatedEvent) => heard[role]?.push(t));
      sockets.push(s);
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await app?.close();
    await new Promise((r) => worker?.close(r));
  });

  const call = (role: string, method: 'GET' | 'POST' | 'PUT', path: string, payload?: unknown) =>
    app.inject({ method, url: path, headers: bearer(tokens[role] as string), ...(payload ? { payload } : {}) });
  const get = async (id: string) => (await call('agent', 'GET', `/api/v1/tasks/${id}`)).json() as Task;
  const inState = (id: string, state: Task['state']) => async () =>
    (await get(id)).state === state ? true : undefined;

  it('runs a submitted task with progress pushed to the owner and admins only; a duplicate key returns it', async () => {
    const body = { type: 'demo.sleep', payload: { seconds: 0.1, steps: 4 }, idempotencyKey: 'report-1' };
    const first = await call('agent', 'POST', '/api/v1/tasks', body);
    expect(first.statusCode).toBe(201);
    const { task } = first.json() as { task: Task };
    const again = await call('agent', 'POST', '/api/v1/tasks', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, task: { id: task.id } });
    await waitFor(inState(task.id, 'succeeded'));
    await waitFor(() => heard.agent?.some((t) => t.id === task.id && t.state === 'succeeded'));
    const mine = heard.agent?.filter((t) => t.id === task.id) ?? [];
    // queued, running, the first three steps; the fourth step's report goes into the success, which overtakes it.
    expect(mine.map((t) => t.progress.percent)).toEqual([0, 0, 25, 50, 75, 100]);
    expect(mine.at(-1)).toMatchObject({ state: 'succeeded', progress: { percent: 100, message: 'step 4 of 4' } });
    expect(mine.at(-1)).not.toHaveProperty('payload');
    await waitFor(() => heard.admin?.some((t) => t.id === task.id && t.state === 'succeeded'));
    expect(heard.customer?.some((t) => t.id === task.id)).toBe(false);
    const list = (await call('agent', 'GET', '/api/v1/tasks?state=succeeded')).json() as { items: Task[] };
    expect(list.items.map((t) => t.id)).toContain(task.id);
    expect((await call('customer', 'GET', `/api/v1/tasks/${task.id}`)).statusCode).toBe(404);
  });

  it('cancels a queued and a running task; a running one ends cancelled', async () => {
    const queued = (
      await call('agent', 'POST', '/api/v1/tasks', { type: 'demo.sleep', runAt: Date.now() + 60_000 })
    ).json().task as Task;
    expect((await call('agent', 'POST', `/api/v1/tasks/${queued.id}/cancel`)).json()).toMatchObject({
      state: 'cancelled',
    });
    const running = (
      await call('agent', 'POST', '/api/v1/tasks', { type: 'demo.sleep', payload: { seconds: 60 } })
    ).json().task as Task;
    await waitFor(inState(running.id, 'running'));
    expect((await call('agent', 'POST', `/api/v1/tasks/${running.id}/cancel`)).statusCode).toBe(200);
    await waitFor(inState(running.id, 'cancelled'));
    expect((await call('agent', 'POST', `/api/v1/tasks/${running.id}/cancel`)).statusCode).toBe(409);
  });

  it('dead-letters a task; the owner retries it, the admin lists, redrives and purges', async () => {
    const submit = async () =>
      (
        await call('agent', 'POST', '/api/v1/tasks', {
          type: 'demo.sleep',
          payload: { seconds: 30 },
          timeoutMs: 100,
          maxAttempts: 1,
        })
      ).json().task as Task;
    const a = await submit();
    const b = await submit();
    await waitFor(inState(a.id, 'dead'));
    await waitFor(inState(b.id, 'dead'));
    expect((await get(a.id)).error).toMatchObject({ code: 'timeout' });
    const dead = (await call('admin', 'GET', '/api/v1/admin/tasks?state=dead')).json() as { items: Task[] };
    expect(dead.items.map((t) => t.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await call('admin', 'GET', `/api/v1/admin/tasks/${a.id}`)).json()).toMatchObject({ state: 'dead' });
    expect((await call('agent', 'POST', `/api/v1/tasks/${a.id}/retry`)).json()).toMatchObject({
      state: 'queued',
      attempts: 0,
    });
    expect((await call('admin', 'POST', '/api/v1/admin/tasks/redrive', { ids: [b.id] })).json()).toEqual({ count: 1 });
    await waitFor(inState(a.id, 'dead'));
    await waitFor(inState(b.id, 'dead'));
    expect((await call('admin', 'POST', '/api/v1/admin/tasks/purge', { state: 'dead' })).json()).toEqual({ count: 2 });
    expect((await call('agent', 'GET', `/api/v1/tasks/${a.id}`)).statusCode).toBe(404);
  });

  it('submits only types the org has enabled', async () => {
    expect((await call('agent', 'POST', '/api/v1/tasks', { type: 'ext.render' })).statusCode).toBe(403);
    expect((await call('agent', 'POST', '/api/v1/tasks', { type: 'maintenance.tasks.cleanup' })).statusCode).toBe(403);
    const types = (await call('agent', 'GET', '/api/v1/tasks/types')).json() as {
      items: { type: string; enabled: boolean }[];
    };
    expect(types.items.filter((t) => t.enabled).map((t) => t.type)).toEqual(['demo.sleep', 'export.tasks']);
    const set = await call('admin', 'PUT', '/api/v1/admin/tasks/types', { types: ['export.tasks', 'ext.render'] });
    expect(set.statusCode).toBe(200);
    expect((await call('agent', 'POST', '/api/v1/tasks', { type: 'demo.sleep' })).statusCode).toBe(403);
    const exp = (await call('agent', 'POST', '/api/v1/tasks', { type: 'export.tasks' })).json().task as Task;
    await waitFor(inState(exp.id, 'succeeded'));
    const result = (await get(exp.id)).result as { rows: number; csv: string };
    expect(result.rows).toBe(3); // one succeeded and two cancelled above; the dead ones were purged
    expect(result.csv.split('\n')[0]).toBe('id,type,state,createdAt,finishedAt');
  });

  it('delivers an external task signed; callbacks: tampered, wrong key, stale, replayed → 401; rotated key accepted', async () => {
    const { task } = (
      await call('agent', 'POST', '/api/v1/tasks', { type: 'ext.render', payload: { page: 3 } })
    ).json() as {
      task: Task;
    };
    const got = await waitFor(() => deliveries.find((d) => d.delivery.taskId === task.id));
    expect(got).toMatchObject({ verified: true, delivery: { type: 'ext.render', attempt: 1, payload: { page: 3 } } });
    expect(got.delivery.callbackUrl).toMatch(/\/api\/v1\/tasks\/callback$/);
    const post = (body: string, header: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tasks/callback',
        headers: { 'content-type': 'application/json', [TASK_SIGNATURE_HEADER]: header },
        payload: body,
      });
    const progress = JSON.stringify({
      event: 'progress',
      taskId: task.id,
      progress: { percent: 40, message: 'rendering' },
    });
    const signed = signatureHeader(CURRENT, progress, Date.now());
    expect((await post(progress, signed)).json()).toEqual({ ok: true, accepted: true });
    expect((await get(task.id)).progress).toEqual({ percent: 40, message: 'rendering' });
    await waitFor(() => heard.agent?.some((t) => t.id === task.id && t.progress.percent === 40));

    const replay = await post(progress, signed);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().detail).toMatch(/replayed/);
    const complete = JSON.stringify({ event: 'complete', taskId: task.id, result: { pages: 3 } });
    const tampered = complete.replace('"pages":3', '"pages":4');
    for (const [body, header, why] of [
      [tampered, signatureHeader(CURRENT, complete, Date.now()), /mismatch/],
      [complete, signatureHeader('some-other-secret-0123456789abcdef012345', complete, Date.now()), /mismatch/],
      [complete, signatureHeader(CURRENT, complete, Date.now() - 6 * 60_000), /stale/],
      [complete, 'garbage', /malformed/],
    ] as const) {
      const res = await post(body, header);
      expect(res.statusCode).toBe(401);
      expect(res.json().detail).toMatch(why);
    }
    expect((await get(task.id)).state).toBe('running');
    // The worker has moved to the next key before the server: still accepted.
    const ok = await post(complete, signatureHeader(NEXT, complete, Date.now()));
    expect(ok.json()).toEqual({ ok: true, accepted: true });
    expect(await get(task.id)).toMatchObject({ state: 'succeeded', result: { pages: 3 } });
    const late = JSON.stringify({ event: 'fail', taskId: task.id, error: { message: 'too late' } });
    expect((await post(late, signatureHeader(CURRENT, late, Date.now()))).json()).toEqual({
      ok: true,
      accepted: false,
    });
  });
});
