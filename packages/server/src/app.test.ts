import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from './app.js';
import { AppError } from './errors.js';
import { onEvent } from './socket/ack.js';
import { connectSocket, createOrgWithUsers, sessionFor } from './test/auth.js';
import { testConfig } from './test/config.js';
import { memoryLog } from './test/log.js';

const EchoSchema = z.object({ name: z.string().min(1), count: z.number().int().positive() });

describe('buildApp', () => {
  let app: FastifyInstance;
  const log = memoryLog();

  beforeAll(async () => {
    app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { logStream: log.stream });
    // Routes that exist only in this test, to exercise the shared error paths.
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post('/test/echo', { config: { access: 'public' }, schema: { body: EchoSchema } }, async (req) => req.body);
    r.get('/test/boom', { config: { access: 'public' } }, async () => {
      throw new Error('secret internals: password=hunter2');
    });
    r.get('/test/conflict', { config: { access: 'public' } }, async () => {
      throw new AppError('conflict', 'the thing changed');
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves /healthz and /readyz', async () => {
    const health = await app.inject('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: { ok: true } } });
  });

  it('sends the security headers on every response, without HSTS on plain HTTP', async () => {
    for (const url of ['/healthz', '/api/v1/no-such-route']) {
      const res = await app.inject(url);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const https = await buildApp(testConfig({ PUBLIC_URL: 'https://chat.example.com' }));
    try {
      const res = await https.inject('/healthz');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    } finally {
      await https.close();
    }
  });

  it('publishes an OpenAPI document and a browsable page', async () => {
    const doc = await app.inject('/api/docs/json');
    expect(doc.statusCode).toBe(200);
    expect(doc.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'Switchboard API' } });
    expect(Object.keys(doc.json().paths)).toContain('/readyz');
    const page = await app.inject('/api/docs');
    expect([200, 302]).toContain(page.statusCode);
  });

  it('answers malformed JSON with 400 problem+json, never 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 400,
      code: 'malformed_json',
      type: expect.stringContaining('malformed_json'),
    });
  });

  it('lists every failing field of a validation error', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { name: '', count: 'x' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.count', 'body.name']);
  });

  it('maps an AppError to its status and code', async () => {
    const res = await app.inject('/test/conflict');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', detail: 'the thing changed', instance: '/test/conflict' });
  });

  it('answers an unknown error with 500 and no internals, and logs it with the request id', async () => {
    const res = await app.inject({ url: '/test/boom', headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.json()).toMatchObject({ code: 'internal', requestId: 'trace-abc-123' });
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
    const logged = log.lines.find((l) => l.msg === 'unhandled error');
    expect(logged).toMatchObject({ reqId: 'trace-abc-123', level: 50 });
  });

  it('refuses an oversize body with 413 and an unknown route with 404 problem+json', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { name: 'x'.repeat(2_000_000), count: 1 },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');
    const missing = await app.inject('/api/v1/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('route_not_found');
  });

  it('mints a request id when the given one is not a plain token', async () => {
    const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('socket acknowledgements', () => {
  let app: FastifyInstance;
  let url: string;
  let token: string;

  beforeAll(async () => {
    app = await buildApp(testConfig());
    const fx = await createOrgWithUsers(app.platform, { slug: 'acks' });
    token = (await sessionFor(app.platform, fx.users.agent)).accessToken;
    onEvent(app.io, 'test.echo', EchoSchema, (_socket, input) => ({ echoed: input.name }), app.log);
    onEvent(
      app.io,
      'test.fail',
      z.object({}),
      () => {
        throw new AppError('forbidden', 'not yours');
      },
      app.log,
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('acks ok with data, validation errors with their code, service errors with theirs', async () => {
    const socket = connect(url, { transports: ['websocket'], auth: { token } });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.on('connect', resolve);
        socket.on('connect_error', reject);
      });
      expect(await socket.emitWithAck('test.echo', { name: 'a', count: 1 })).toEqual({
        ok: true,
        data: { echoed: 'a' },
      });
      const bad = await socket.emitWithAck('test.echo', { name: '', count: 0 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(await socket.emitWithAck('test.fail', {})).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'not yours' },
      });
    } finally {
      socket.close();
    }
  });

  it('serves every socket from one handler per event: a connection holds no event listener of its own', async () => {
    const socket = await connectSocket(url, token);
    try {
      expect(await socket.emitWithAck('test.echo', { name: 'b', count: 1 })).toMatchObject({ ok: true });
      const [served] = app.io.of('/').sockets.values();
      // Only Socket.IO's own no-op `error` listener and the app's and presence's bookkeeping when it goes.
      expect(served?.eventNames()).toEqual(['error', 'disconnect']);
      expect(() => onEvent(app.io, 'test.echo', EchoSchema, () => null, app.log)).toThrow('registered twice');
    } finally {
      socket.close();
    }
  });
});

describe('graceful close', () => {
  it('finishes an in-flight request, then refuses new connections', async () => {
    const app = await buildApp(testConfig());
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered: () => void = () => {};
    const inHandler = new Promise<void>((r) => {
      entered = r;
    });
    app.get('/test/slow', { config: { access: 'public' } }, async () => {
      entered();
      await gate;
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const inFlight = fetch(`${url}/test/slow`);
    await inHandler;
    const closing = app.close();
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
