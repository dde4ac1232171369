import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ack } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import { buildApp } from '../../app.js';
import { registeredEvents } from '../../socket/ack.js';
import { connectSocket, createOrgWithUsers, listen, loginAs, type OrgFixture } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import {
  CALLERS,
  type Caller,
  callerRole,
  defaultStatus,
  type EventCase,
  type MatrixContext,
  matrixContext,
  type RouteCase,
} from '../../test/matrix.js';
import { orgsService } from '../orgs/orgs.service.js';

/**
 * The role × endpoint matrix. Every route of the app (from the route table, so routes added later are
 * included) is called as nobody, each role of org A, a widget visitor, and org B's admin; each must get
 * exactly the answer its access rule and its module's case document. Cases live in
 * `modules/<m>/<m>.matrix.ts` (see test/auth.ts for how to add yours).
 */

const modulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const routeCases: RouteCase[] = [];
const eventCases: EventCase[] = [];
const matrixFiles = fs
  .readdirSync(modulesDir)
  .filter((dir) => fs.statSync(path.join(modulesDir, dir)).isDirectory())
  .flatMap((dir) =>
    fs
      .readdirSync(path.join(modulesDir, dir))
      .filter((f) => f.endsWith('.matrix.ts'))
      .map((f) => path.join(modulesDir, dir, f)),
  );
for (const file of matrixFiles) {
  const mod = (await import(file)) as { matrixCases?: RouteCase[]; matrixEvents?: EventCase[] };
  routeCases.push(...(mod.matrixCases ?? []));
  eventCases.push(...(mod.matrixEvents ?? []));
}

const adminOf = (f: OrgFixture): Actor => ({
  userId: f.users.admin.id,
  orgId: f.org.id,
  role: 'admin',
  sessionId: randomUUID(),
  kind: 'user',
});

/** Routes no module can declare a case for: plugin routes whose access is fixed in access.hook.ts. */
const pluginRoute = (method: string, url: string) =>
  url === '/api/docs' || url.startsWith('/api/docs/') || (method === 'OPTIONS' && url === '*');

describe('access matrix: every route and socket event × every kind of caller', () => {
  let app: FastifyInstance;
  let ctx: MatrixContext;
  let a: OrgFixture;
  let url: string;
  const sockets = new Map<Caller, ClientSocket>();

  beforeAll(async () => {
    // Push subscriptions name a reserved test host (never resolvable), allowed here as a push service.
    app = await buildApp(testConfig({ PUSH_SERVICE_HOSTS: 'push.example.test' }));
    a = await createOrgWithUsers(app.platform, { slug: 'matrix-a' });
    const b = await createOrgWithUsers(app.platform, { slug: 'matrix-b' });
    const { widgetKey } = await orgsService(app.platform).widgetSettings(adminOf(a));
    const widget = await app.inject({ method: 'POST', url: '/api/v1/widget/session', payload: { widgetKey } });
    expect(widget.statusCode).toBe(200);
    const login = async (email: string) => (await loginAs(app, email)).accessToken;
    ctx = await matrixContext(app, a, b, widget.json().user, {
      customer: await login(a.emails.customer),
      agent: await login(a.emails.agent),
      supervisor: await login(a.emails.supervisor),
      admin: await login(a.emails.admin),
      visitor: widget.json().accessToken,
      otherOrg: await login(b.emails.admin),
    });
    url = await listen(app);
  });
  afterAll(async () => {
    for (const s of sockets.values()) s.close();
    await app?.close();
  });

  it('has a case for every route in the route table, and no case for a route that does not exist', () => {
    const routes = app.routeAccess.filter((r) => r.method !== 'HEAD' && !pluginRoute(r.method, r.url));
    const keys = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const covered = new Set(routeCases.map((c) => c.route));
    const missing = [...keys].filter((k) => !covered.has(k));
    expect(missing, 'routes without a case in modules/<m>/<m>.matrix.ts (see test/auth.ts)').toEqual([]);
    expect(
      [...covered].filter((k) => !keys.has(k)),
      'cases naming no registered route',
    ).toEqual([]);
    // Plugin routes are read-only and public by construction.
    for (const r of app.routeAccess.filter((x) => pluginRoute(x.method, x.url))) {
      expect(['GET', 'HEAD', 'OPTIONS']).toContain(r.method);
      expect(r.access).toBe('public');
    }
  });

  for (const c of routeCases) {
    it(`${c.route}: the documented answer for every caller`, async () => {
      const [method, routeUrl] = c.route.split(' ') as [string, string];
      const entry = app.routeAccess.find((r) => r.method === method && r.url === routeUrl);
      expect(entry, `${c.route} is not registered`).toBeDefined();
      const access = entry?.access ?? 'public';
      const ok = c.ok ?? 200;
      const expected: Record<string, number> = {};
      const actual: Record<string, number> = {};
      const aIds = [a.org.id, ...Object.values(a.users).map((u) => u.id), ctx.visitor.id];
      for (const caller of CALLERS) {
        expected[caller] = c.expect?.[caller] ?? defaultStatus(access, caller, ok, c.otherOrg ?? ok);
        const req = (await c.request?.(ctx, caller)) ?? {};
        const token = req.token ?? (caller === 'anonymous' ? undefined : ctx.tokens[caller]);
        const res = await app.inject({
          method: method as 'GET',
          url: req.url ?? routeUrl,
          ...(req.payload === undefined ? {} : { payload: req.payload as object }),
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        actual[caller] = res.statusCode;
        if (res.statusCode >= 400) {
          expect(res.headers['content-type'], `${c.route} as ${caller}`).toMatch(/application\/problem\+json/);
        }
        if (caller === 'otherOrg' && access !== 'public' && res.statusCode < 300) {
          const widget = await orgsService(app.platform).widgetSettings(adminOf(a));
          for (const id of [...aIds, widget.widgetKey, widget.identitySecret])
            expect(res.body, `${c.route} as org B leaks org A's ${id}`).not.toContain(id);
        }
      }
      expect(actual).toEqual(expected);
    });
  }

  it('refuses a socket without a token; connects every other caller', async () => {
    await expect(connectSocket(url, undefined)).rejects.toThrow('unauthenticated');
    for (const caller of CALLERS) {
      if (caller === 'anonymous') continue;
      sockets.set(caller, await connectSocket(url, ctx.tokens[caller]));
    }
  });

  it('has a case for every socket event a connection registers', () => {
    const names = [...registeredEvents(app.io)];
    const covered = new Set(eventCases.map((c) => c.event));
    expect(
      names.filter((n) => !covered.has(n)),
      'socket events without a case',
    ).toEqual([]);
  });

  for (const c of eventCases) {
    it(`socket ${c.event}: the documented answer for every caller`, async () => {
      const expected: Record<string, string> = {};
      const actual: Record<string, string> = {};
      for (const caller of CALLERS) {
        if (caller === 'anonymous') continue;
        const role = callerRole(caller);
        const allowed = c.access === 'public' || c.access === 'authenticated' || c.access.includes(role);
        expected[caller] =
          c.expect?.[caller] ?? (!allowed ? 'forbidden' : caller === 'otherOrg' ? (c.otherOrg ?? 'ok') : 'ok');
        const socket = sockets.get(caller);
        if (!socket) throw new Error('sockets not connected');
        const ack = (await socket.timeout(5000).emitWithAck(c.event, await c.payload(ctx, caller))) as Ack<unknown>;
        actual[caller] = ack.ok ? 'ok' : ack.error.code;
      }
      expect(actual).toEqual(expected);
    });
  }
});
