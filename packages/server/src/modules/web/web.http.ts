import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { SERVER_ROOT } from '../../paths.js';

/** Where `npm run build -w @switchboard/web` writes the app (built by the root `prepare` script). */
export const WEB_DIST_DIR = path.resolve(SERVER_ROOT, '../web/dist');

/** Paths the API, the socket and the probes own: never answered with the app's index.html. */
const RESERVED = ['/api/', '/socket.io/', '/healthz', '/readyz', '/metrics'];
const isReserved = (p: string) => RESERVED.some((r) => p === r.replace(/\/$/, '') || p.startsWith(r));

/** Vite puts content-hashed files under /assets/: they never change, so browsers may keep them for a year. */
const IMMUTABLE = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

function fileIn(dir: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const full = path.resolve(dir, `.${path.posix.normalize(decoded)}`);
  if (!full.startsWith(`${dir}${path.sep}`)) return undefined;
  try {
    return fs.statSync(full).isFile() ? path.relative(dir, full) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serve the built web app on the API's port: hashed assets with a long cache, other files of `dist` as they
 * are, and index.html (never cached, so a deploy is picked up) for every other GET that is not the API's, so
 * client-side routes survive a reload. Without a build, the API still works and one line says why the app
 * does not.
 */
export async function webRoutes(app: FastifyInstance, opts: { distDir?: string } = {}) {
  const dir = opts.distDir ?? WEB_DIST_DIR;
  const built = fs.existsSync(path.join(dir, 'index.html'));
  if (!built) {
    app.log.warn(
      `web app not built (no ${dir}/index.html): serving the API only; run \`npm run build -w @switchboard/web\``,
    );
  }
  await app.register(fastifyStatic, { root: built ? dir : path.dirname(dir), serve: false });

  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const urlPath = request.url.split('?')[0] ?? '/';
    if (isReserved(urlPath) || !built) {
      throw new AppError('route_not_found', `No route ${request.method} ${urlPath}`);
    }
    const file = urlPath === '/' ? undefined : fileIn(dir, urlPath);
    if (file) {
      const immutable = IMMUTABLE.test(urlPath);
      return reply.sendFile(file, { maxAge: immutable ? '365d' : '1h', immutable });
    }
    // A missing file (a stale hashed asset, a typo) is a 404, not the app: a script tag must not get HTML.
    if (path.posix.extname(urlPath)) throw new AppError('route_not_found', `No file ${urlPath}`);
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { maxAge: 0, cacheControl: false });
  });
}
