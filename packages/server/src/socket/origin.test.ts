import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { connectSocket, createOrgWithUsers, listen, sessionFor } from '../test/auth.js';
import { testConfig } from '../test/config.js';

const GOOD = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

/** Cross-Site WebSocket Hijacking: a page on another origin must not open a socket with the user's token. */
describe('Origin allow-list on the socket handshake and CORS', () => {
  let app: FastifyInstance;
  let url: string;
  let token: string;
  beforeAll(async () => {
    app = await buildApp(testConfig({ CORS_ORIGINS: GOOD }));
    const a = await createOrgWithUsers(app.platform, { slug: 'cswsh' });
    token = (await sessionFor(app.platform, a.users.agent)).accessToken;
    url = await listen(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a polling handshake from a foreign origin, and grants CORS with credentials to the allowed one', async () => {
    const evil = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: EVIL } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const good = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: GOOD } });
    expect(good.status).toBe(200);
    expect(good.headers.get('access-control-allow-origin')).toBe(GOOD);
    expect(good.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('refuses a WebSocket handshake from a foreign origin, with a valid token', async () => {
    await expect(connectSocket(url, token, { extraHeaders: { origin: EVIL } })).rejects.toThrow();
    await expect(
      connectSocket(url, token, { transports: ['polling'], extraHeaders: { origin: EVIL } }),
    ).rejects.toThrow();
  });

  it('accepts the allowed origin and clients without an Origin (SDK in Node), on both transports', async () => {
    for (const transports of [['websocket'], ['polling']] as const) {
      (await connectSocket(url, token, { transports: [...transports], extraHeaders: { origin: GOOD } })).close();
      (await connectSocket(url, token, { transports: [...transports] })).close();
    }
  });

  it('answers REST preflights with credentials only for the allowed origin', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/v1/auth/me',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const good = await preflight(GOOD);
    expect(good.headers['access-control-allow-origin']).toBe(GOOD);
    expect(good.headers['access-control-allow-credentials']).toBe('true');
    const evil = await preflight(EVIL);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: EVIL } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });
});
