import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { bearer, connectSocket, createOrgWithUsers, listen, loginAs, type OrgFixture } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';

describe('auth: login, me, refresh, logout', () => {
  let app: FastifyInstance;
  let a: OrgFixture;
  beforeAll(async () => {
    app = await buildApp(testConfig());
    a = await createOrgWithUsers(app.platform, { slug: 'acme' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('signs in with email and password, with or without the org slug', async () => {
    const res = await loginAs(app, a.emails.agent);
    expect(res).toMatchObject({
      tokenType: 'Bearer',
      user: { id: a.users.agent.id, role: 'agent' },
      org: { slug: 'acme' },
    });
    const withOrg = await loginAs(app, a.emails.agent, { org: 'acme' });
    expect(withOrg.sessionId).not.toBe(res.sessionId);
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(res.accessToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { id: a.users.agent.id },
      org: { id: a.org.id },
      session: { id: res.sessionId },
    });
  });

  it('answers 401 problem+json without a token and with a wrong password', async () => {
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(me.statusCode).toBe(401);
    expect(me.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(me.json()).toMatchObject({ code: 'unauthenticated' });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: a.emails.admin, password: 'not the password' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'invalid_credentials' });
  });

  it('rotates refresh tokens; reusing a rotated one revokes the session', async () => {
    const first = await loginAs(app, a.emails.supervisor);
    const r1 = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(r1.statusCode).toBe(200);
    const second = r1.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);
    const reuse = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toMatchObject({ code: 'session_revoked' });
    const after = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: second.refreshToken },
    });
    expect(after.json()).toMatchObject({ code: 'session_revoked' });
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(second.accessToken) });
    expect(me.statusCode).toBe(401);
  });

  it('logout ends the session and disconnects its socket', async () => {
    const url = await listen(app);
    const s = await loginAs(app, a.emails.admin);
    const socket = await connectSocket(url, s.accessToken);
    const ended = new Promise((resolve) => socket.once('session.ended', resolve));
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(s.accessToken) });
    expect(out.statusCode).toBe(204);
    expect(await ended).toEqual({ code: 'session_revoked' });
    expect(await closed).toBe('io server disconnect');
    await expect(connectSocket(url, s.accessToken)).rejects.toThrow('session_revoked');
  });
});

describe('JWT signing key', () => {
  it('is generated once in embedded mode, kept in DATA_DIR with mode 0600, and survives a restart', async () => {
    const config = testConfig();
    const first = await buildApp(config);
    const a = await createOrgWithUsers(first.platform, { slug: 'keys' });
    const s = await loginAs(first, a.emails.agent);
    const file = path.join(config.dataDir, 'jwt-secret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
    await first.close();
    const second = await buildApp(config);
    const me = await second.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(s.accessToken) });
    expect(me.statusCode).toBe(200);
    await second.close();
  });

  it('uses JWT_SECRET when set: a token of another secret is refused', async () => {
    const config = testConfig({ JWT_SECRET: 'k'.repeat(40) });
    const app = await buildApp(config);
    const a = await createOrgWithUsers(app.platform, { slug: 'keys2' });
    const s = await loginAs(app, a.emails.agent);
    expect(fs.existsSync(path.join(config.dataDir, 'jwt-secret'))).toBe(false);
    await app.close();
    const other = await buildApp({ ...config, jwtSecret: 'z'.repeat(40) });
    const me = await other.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(s.accessToken) });
    expect(me.statusCode).toBe(401);
    await other.close();
  });
});
