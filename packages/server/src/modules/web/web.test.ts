import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../../http/errors.js';
import { webRoutes } from './web.http.js';

/** A fake build: index.html, one hashed asset, one plain file. */
function fakeDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-AbCd1234.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
  return dir;
}

describe('web module: the built app on the API port', () => {
  const apps: ReturnType<typeof Fastify>[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
  });
  async function app(distDir: string, lines: string[] = []) {
    const stream = { write: (l: string) => lines.push(l) };
    const a = Fastify({ logger: { level: 'warn', stream } });
    a.setErrorHandler(errorHandler);
    // The error handler counts codes on the platform's metrics; this bare app has only that piece.
    a.decorate('platform', { metrics: { errors: { inc: () => {} } } } as never);
    await a.register((scope) => webRoutes(scope, { distDir }));
    apps.push(a);
    return a;
  }

  it('answers client routes with index.html (not cached) and hashed assets with a year-long immutable cache', async () => {
    const a = await app(fakeDist());
    for (const url of ['/', '/messenger/123', '/admin/users?x=1']) {
      const res = await a.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('id="root"');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const asset = await a.inject({ url: '/assets/index-AbCd1234.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.headers['cache-control']).toContain('max-age=31536000');
    const icon = await a.inject({ url: '/favicon.svg' });
    expect(icon.headers['cache-control']).not.toContain('immutable');
  });

  it('never answers API, socket or probe paths, missing files or escapes from dist with the app', async () => {
    const a = await app(fakeDist());
    for (const url of ['/api/v1/nope', '/socket.io/x', '/healthz', '/metrics', '/readyz', '/assets/gone-12345678.js']) {
      const res = await a.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('route_not_found');
    }
    const traversal = await a.inject({ url: '/..%2f..%2fetc%2fpasswd' });
    expect(traversal.body).not.toContain('root:');
  });

  it('without a build, logs one line saying so and answers 404 instead of an app', async () => {
    const lines: string[] = [];
    const a = await app(path.join(os.tmpdir(), 'switchboard-no-such-dist'), lines);
    const res = await a.inject({ url: '/messenger' });
    expect(res.statusCode).toBe(404);
    const warnings = lines.filter((l) => l.includes('web app not built'));
    expect(warnings).toHaveLength(1);
  });
});
