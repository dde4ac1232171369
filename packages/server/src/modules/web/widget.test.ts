import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { errorHandler } from '../../http/errors.js';
import { installSecurityHeaders } from '../../http/security-headers.js';
import { seedDemo } from '../../seed/demo.js';
import { describeApp } from '../../test/auth.js';
import { orgsService } from '../orgs/orgs.service.js';
import { webRoutes } from './web.http.js';
import { widgetRoutes } from './widget.http.js';

function fakeDist(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-widget-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'widget.js'), '(() => {})();');
  fs.writeFileSync(path.join(dir, 'widget.html'), '<!doctype html><div id="root" data-widget></div>');
  return dir;
}

describeApp('widget paths: loader, framable panel, demo page', (ctx) => {
  const apps: ReturnType<typeof Fastify>[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
  });
  /** The app's helmet defaults plus the web and widget modules, each in its own scope as app.ts registers them. */
  async function app(distDir: string) {
    const a = Fastify({ logger: false });
    a.setErrorHandler(errorHandler);
    a.decorate('platform', ctx().platform);
    installSecurityHeaders(a, false);
    await a.register((scope) => webRoutes(scope, { distDir }));
    await a.register((scope) => widgetRoutes(scope, ctx().platform, { distDir }));
    apps.push(a);
    return a;
  }

  it('serves widget.js to any origin and lets any site frame /widget, while the rest of the app stays unframable', async () => {
    const a = await app(fakeDist());
    const js = await a.inject({ url: '/widget.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(js.headers['cache-control']).toContain('max-age=300');

    const panel = await a.inject({ url: '/widget?key=wk_x' });
    expect(panel.statusCode).toBe(200);
    expect(panel.body).toContain('data-widget');
    expect(panel.headers['x-frame-options']).toBeUndefined();
    const csp = String(panel.headers['content-security-policy']);
    expect(csp).toContain('frame-ancestors *');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-inline' 'self'");

    const other = await a.inject({ url: '/console' });
    expect(other.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(String(other.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
  });

  it('answers 404 for the loader and panel without a build', async () => {
    const a = await app(path.join(os.tmpdir(), 'switchboard-no-such-dist'));
    expect((await a.inject({ url: '/widget.js' })).statusCode).toBe(404);
    expect((await a.inject({ url: '/widget' })).statusCode).toBe(404);
  });

  it('shows the demo page with the demo org key once the demo org exists, with no inline script', async () => {
    const a = await app(fakeDist());
    const before = await a.inject({ url: '/widget-demo' });
    expect(before.statusCode).toBe(404);
    expect(before.json().code).toBe('route_not_found');
    await seedDemo(ctx().platform);
    const key = await orgsService(ctx().platform).widgetKeyBySlug('demo');
    const page = await a.inject({ url: '/widget-demo' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(`<script src="/widget.js" data-org-key="${key}" async></script>`);
    expect(page.body).not.toMatch(/<script>(?!<)/);
  });
});
