import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { LoginResponse, Org, Role, Tokens, User } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { type Socket as ClientSocket, io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Actor } from '../actor.js';
import { buildApp } from '../app.js';
import { sessionsService } from '../modules/auth/sessions.service.js';
import { signAccessToken } from '../modules/auth/tokens.js';
import { orgsService } from '../modules/orgs/orgs.service.js';
import { hashPassword } from '../modules/users/password.js';
import { toUser, usersRepo } from '../modules/users/users.repo.js';
import { createPlatform, type Platform } from '../platform/platform.js';
import { manualClock } from './clock.js';
import { testConfig } from './config.js';
import { storageTargets } from './storage.js';

/**
 * Test helpers for anything behind authentication.
 *
 * @example
 * ```ts
 * const app = await buildApp(testConfig());
 * const a = await createOrgWithUsers(app.platform, { slug: 'acme' });
 * const agent = await loginAs(app, a.emails.agent);
 * const res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(agent.accessToken) });
 * const url = await listen(app);
 * const socket = await connectSocket(url, agent.accessToken);
 * ```
 *
 * ## Adding your routes to the access matrix
 * `modules/auth/access-matrix.test.ts` builds the app, walks `app.routeAccess` (every registered route) and
 * calls each one as: no token, each role of org A (customer, agent, supervisor, admin), a widget visitor of
 * org A, and the admin of org B. A route with no case fails the test. Put your cases in
 * `modules/<yours>/<yours>.matrix.ts` exporting `matrixCases: RouteCase[]` (see `test/matrix.ts` for the
 * type; `modules/users/users.matrix.ts` is a full example). Per route you say how to build a valid request
 * (path ids of org A's resources, a body), the success status, and what org B's admin gets: usually 404 for
 * an org-A id, or the success status for a route on the caller's own org — in which case the test also
 * checks that no org-A id appears in the answer.
 */

/** The password every fixture user gets. */
export const TEST_PASSWORD = 'correct horse battery staple';
export const ROLES: readonly Role[] = ['customer', 'agent', 'supervisor', 'admin'];

export interface OrgFixture {
  org: Org;
  /** One user per role, emails `<role>@<slug>.test`. */
  users: Record<Role, User>;
  emails: Record<Role, string>;
  password: string;
}

/**
 * An org with one active user per role, all with `TEST_PASSWORD`. Hashes the password once for the whole
 * fixture (argon2 at production cost takes ~50–100 ms a hash), so build one fixture per test file.
 */
export async function createOrgWithUsers(platform: Platform, opts: { slug?: string } = {}): Promise<OrgFixture> {
  const slug = opts.slug ?? `org-${randomUUID().slice(0, 8)}`;
  const org = await orgsService(platform).create({ slug, name: `Org ${slug}` });
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const users = {} as Record<Role, User>;
  const emails = {} as Record<Role, string>;
  for (const role of ROLES) {
    const user = await insertTestUser(platform, {
      orgId: org.id,
      email: `${role}@${slug}.test`,
      displayName: `${role} of ${slug}`,
      role,
      passwordHash,
    });
    users[role] = user;
    emails[role] = user.email;
  }
  return { org, users, emails, password: TEST_PASSWORD };
}

/**
 * Insert an active user row directly (no argon2 unless a hash is given): for fixtures that need many users.
 */
export async function insertTestUser(
  platform: Platform,
  u: { orgId: string; email: string; displayName: string; role: Role; passwordHash: string | null },
): Promise<User> {
  const now = platform.clock.now();
  const row = {
    id: randomUUID(),
    ...u,
    active: 1,
    createdAt: now,
    updatedAt: now,
    kind: 'user' as const,
    visitorIdHash: null,
    externalId: null,
    inviteTokenHash: null,
    inviteExpiresAt: null,
    contactEmail: null,
  };
  await usersRepo(platform.database).insert(row);
  return toUser(row);
}

/** Sign in through `POST /api/v1/auth/login` (the real path, throttling included); throws unless 200. */
export async function loginAs(
  app: FastifyInstance,
  email: string,
  opts: { password?: string; org?: string } = {},
): Promise<LoginResponse> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: opts.password ?? TEST_PASSWORD, ...(opts.org ? { org: opts.org } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`login as ${email} failed: ${res.statusCode} ${res.body}`);
  return res.json() as LoginResponse;
}

/**
 * A fresh session for `user` without the password round-trip (no argon2, no throttling): for tests that
 * need many sessions, or one to throw away (logout, revocation).
 */
export async function sessionFor(platform: Platform, user: User): Promise<Tokens> {
  const { session, refreshToken } = await sessionsService(platform).create({
    orgId: user.orgId,
    userId: user.id,
    kind: user.kind,
    role: user.role,
  });
  const actor: Actor = { userId: user.id, orgId: user.orgId, role: user.role, sessionId: session.id, kind: user.kind };
  const accessTokenExpiresAt = Math.min(platform.clock.now() + platform.config.accessTokenTtlMs, session.expiresAt);
  return {
    tokenType: 'Bearer',
    accessToken: await signAccessToken(platform, actor, accessTokenExpiresAt),
    accessTokenExpiresAt,
    refreshToken,
    sessionExpiresAt: session.expiresAt,
    sessionId: session.id,
  };
}

/** `{ authorization: 'Bearer …' }` for `app.inject({ headers })`. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** A customer (or visitor) opens a support conversation through the API; its id. */
export async function openSupportConversation(app: FastifyInstance, token: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: bearer(token),
    payload: { kind: 'support' },
  });
  return res.json().conversation.id as string;
}

/** Listen on port 0 and return the base URL (`http://127.0.0.1:PORT`). */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/**
 * Connect a real socket.io-client with `token` (WebSocket only, no reconnection). Resolves once connected;
 * rejects with the server's `connect_error` (its `message` is the error code). Disconnect it in your test.
 */
export function connectSocket(
  url: string,
  token: string | undefined,
  opts: { transports?: ('websocket' | 'polling')[]; extraHeaders?: Record<string, string> } = {},
): Promise<ClientSocket> {
  const socket = ioClient(url, {
    path: '/socket.io',
    auth: token === undefined ? {} : { token },
    transports: opts.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(opts.extraHeaders ? { extraHeaders: opts.extraHeaders } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

export interface AppContext {
  app: FastifyInstance;
  platform: Platform;
  /** The app's clock: stands still until moved (`advance`, `set`). */
  clock: ReturnType<typeof manualClock>;
}

/**
 * Run `body` against a whole app (`buildApp`) once per storage backend — SQLite always, PostgreSQL when
 * `DATABASE_URL` is set — with a controllable clock. `ctx()` returns the app inside tests and hooks.
 *
 * @example
 * ```ts
 * describeApp('sessions', (ctx) => {
 *   it('expires', async () => { ctx().clock.advance(3_600_000); ... });
 * });
 * ```
 */
export function describeApp(title: string, body: (ctx: () => AppContext) => void, env: Record<string, string> = {}) {
  for (const target of storageTargets) {
    describe(`${title} [${target.dialect}]`, () => {
      let context: AppContext | undefined;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const config = testConfig(env);
        const opened = await target.open(config);
        drop = opened.drop;
        const clock = manualClock();
        const platform = await createPlatform(config, { database: opened.database, clock });
        context = { app: await buildApp(config, { platform }), platform, clock };
      });
      afterAll(async () => {
        await context?.app.close();
        await drop?.();
        await context?.platform.close();
      });
      body(() => {
        if (!context) throw new Error('app context used outside a test');
        return context;
      });
    });
  }
}

/** The first `event` on `socket` that satisfies `pred`, or a rejection after `ms`. */
export function nextEvent<T>(
  socket: ClientSocket,
  event: string,
  pred: (v: T) => boolean = () => true,
  ms = 8000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const on = (v: T) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(v);
    };
    socket.on(event, on);
  });
}
