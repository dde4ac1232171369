import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { DEMO_ORG } from '../../seed/demo.js';
import { orgsService } from '../orgs/orgs.service.js';
import { WEB_DIST_DIR } from './web.http.js';

/** Only what the page needs: no script of its own, so the CSP needs no inline script either. */
const demoPage = (key: string, orgName: string, publicUrl: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Widget demo · ${orgName}</title>
  </head>
  <body style="font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
    <h1>${orgName}</h1>
    <p>This is an ordinary web page with the Switchboard chat widget embedded. Open the chat with the button in the
    bottom right corner and ask, for example, <em>How do I reset my password?</em> — the AI answers from the demo
    knowledge base; a question it is unsure about waits for an agent (sign in as <code>agent@demo.example</code> in
    another browser and open <a href="/console">the agent console</a>).</p>
    <p>Embed it on your own site with:</p>
    <pre style="background: #f4f4f5; padding: 1rem; border-radius: 8px; overflow-x: auto">&lt;script src="${publicUrl}/widget.js" data-org-key="${key}" async&gt;&lt;/script&gt;</pre>
    <script src="/widget.js" data-org-key="${key}" async></script>
  </body>
</html>
`;

/** The widget page lives in an iframe on other sites: let any page frame it (only it, not the rest of the app). */
function allowFraming(reply: FastifyReply): void {
  reply.raw.removeHeader('x-frame-options');
  const csp = String(reply.raw.getHeader('content-security-policy') ?? '');
  reply.raw.setHeader(
    'content-security-policy',
    csp.includes('frame-ancestors')
      ? csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *')
      : `${csp}${csp ? ';' : ''}frame-ancestors *`,
  );
}

/**
 * The customer widget's three public paths: `/widget.js` (the loader a site embeds; loadable from any
 * origin), `/widget` (the chat panel, the app's page, framable by any origin) and `/widget-demo` (a plain page
 * embedding the demo org's widget, when the demo org exists).
 */
export async function widgetRoutes(app: FastifyInstance, platform: Platform, opts: { distDir?: string } = {}) {
  const dir = opts.distDir ?? WEB_DIST_DIR;
  const has = (file: string) => fs.existsSync(path.join(dir, file));
  const config = { access: 'public' as const };
  const schema = { hide: true };
  await app.register(fastifyStatic, { root: fs.existsSync(dir) ? dir : path.dirname(dir), serve: false });

  app.get('/widget.js', { config, schema }, async (_req, reply) => {
    if (!has('widget.js')) throw new AppError('route_not_found', 'the web app is not built');
    reply.header('cross-origin-resource-policy', 'cross-origin');
    // Short: sites keep the same URL, so a deploy must reach them within minutes.
    return reply.sendFile('widget.js', { maxAge: '5m' });
  });

  app.get('/widget', { config, schema }, async (_req, reply) => {
    if (!has('widget.html')) throw new AppError('route_not_found', 'the web app is not built');
    allowFraming(reply);
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('widget.html', { maxAge: 0, cacheControl: false });
  });

  app.get('/widget-demo', { config, schema }, async (_req, reply) => {
    const orgs = orgsService(platform);
    const key = await orgs.widgetKeyBySlug(DEMO_ORG.slug);
    if (!key) throw new AppError('route_not_found', 'no demo org on this server (switchboard seed demo)');
    const org = await orgs.getBySlug(DEMO_ORG.slug);
    const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(demoPage(html(key), html(org.name), html(platform.config.publicUrl)));
  });
}
