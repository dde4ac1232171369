import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { type BuildOptions, buildApp } from '../../server/src/app.js';
import { WEB_DIST_DIR } from '../../server/src/modules/web/web.http.js';
import { createOrgWithUsers, type OrgFixture } from '../../server/src/test/auth.js';
import { testConfig } from '../../server/src/test/config.js';
import { freePort } from './browser.js';

/** Whether `npm run build -w @switchboard/web` has written the app the server serves. */
export const webBuilt = fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'));

/**
 * The built web app served by a real server listening on a port known up front (its origin is the allowed
 * Origin), with one org of fixture users. `env` adds configuration; `opts` is passed to `buildApp`.
 */
export async function startWebServer(
  slug: string,
  env: Record<string, string> = {},
  opts: BuildOptions = {},
): Promise<{ app: FastifyInstance; base: string; org: OrgFixture }> {
  expect(webBuilt, `no web build in ${WEB_DIST_DIR}: run \`npm run build -w @switchboard/web\``).toBe(true);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = await buildApp(testConfig({ PORT: String(port), PUBLIC_URL: base, ...env }), opts);
  await app.listen({ port, host: '127.0.0.1' });
  const org = await createOrgWithUsers(app.platform, { slug });
  return { app, base, org };
}
