import { randomUUID } from 'node:crypto';
import type { ErrorCode, Role, User } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { Access } from '../http/access.js';
import { hashPassword } from '../modules/users/password.js';
import { toUser, usersRepo } from '../modules/users/users.repo.js';
import type { Platform } from '../platform/platform.js';
import { insertTestUser, type OrgFixture, sessionFor, TEST_PASSWORD } from './auth.js';

/**
 * The role × endpoint matrix: types for the cases each module declares in `modules/<m>/<m>.matrix.ts`
 * (`export const matrixCases: RouteCase[]` and, for socket events, `export const matrixEvents: EventCase[]`),
 * and the context their request builders get. `modules/auth/access-matrix.test.ts` runs them.
 */

/** Who calls: nobody, each role of org A, an anonymous widget visitor of org A, and the admin of org B. */
export type Caller = 'anonymous' | Role | 'visitor' | 'otherOrg';
export const CALLERS: readonly Caller[] = [
  'anonymous',
  'customer',
  'visitor',
  'agent',
  'supervisor',
  'admin',
  'otherOrg',
];

export interface MatrixRequest {
  /** Defaults to the route's own URL (fine for routes without params). */
  url?: string;
  payload?: unknown;
  /** Use this bearer token instead of the caller's shared one (e.g. from `ctx.freshCaller`). */
  token?: string;
}

export interface RouteCase {
  /** Exactly as registered: `'GET /api/v1/users/:id'`. */
  route: string;
  /**
   * Build one call; runs once per caller, so a destructive route can create a fresh target each time
   * (use `ctx.freshUser`, `ctx.freshCaller`; both are cheap).
   */
  request?: (ctx: MatrixContext, caller: Caller) => MatrixRequest | Promise<MatrixRequest>;
  /** Status of an allowed call (default 200). */
  ok?: number;
  /**
   * What org B's admin gets when the route's access admits an admin: `ok` (default) for a route on the
   * caller's own org — the answer must then contain no id of org A — or 404 when the request names an org-A
   * resource.
   */
  otherOrg?: number;
  /** Exceptions to the defaults, per caller (documented answers such as a visitor having no password). */
  expect?: Partial<Record<Caller, number>>;
}

/** A client → server socket event registered with `onEvent`. Anonymous sockets never connect at all. */
export interface EventCase {
  event: string;
  /** Who may use it; others get an ack `{ ok: false, error: { code: 'forbidden' } }`. */
  access: Access;
  payload: (ctx: MatrixContext, caller: Exclude<Caller, 'anonymous'>) => unknown | Promise<unknown>;
  /** What org B's admin gets when allowed by role: `'ok'` (default) or an error code such as `not_found`. */
  otherOrg?: 'ok' | ErrorCode;
  expect?: Partial<Record<Caller, 'ok' | ErrorCode>>;
}

export interface MatrixContext {
  app: FastifyInstance;
  platform: Platform;
  /** The org under test: one user per role. */
  a: OrgFixture;
  /** Another org; its admin is the `otherOrg` caller. */
  b: OrgFixture;
  /** A widget visitor of org A (customer role, kind `visitor`). */
  visitor: User;
  /** The shared access token of each caller (not `anonymous`). */
  tokens: Record<Exclude<Caller, 'anonymous'>, string>;
  /** A new active user in org A (no password unless asked: no hashing cost). */
  freshUser(role: Role, opts?: { withPassword?: boolean; org?: 'a' | 'b' }): Promise<User>;
  /** A new user standing for `caller` (same role, org and kind, password TEST_PASSWORD) and its token. */
  freshCaller(caller: Exclude<Caller, 'anonymous'>): Promise<{ user: User; token: string }>;
}

/** The answer the matrix expects from `access` for `caller`, before a case's own exceptions. */
export function defaultStatus(access: Access, caller: Caller, ok: number, otherOrg: number): number {
  if (access === 'public') return caller === 'otherOrg' ? otherOrg : ok;
  if (caller === 'anonymous') return 401;
  const role: Role = caller === 'visitor' ? 'customer' : caller === 'otherOrg' ? 'admin' : caller;
  const allowed = access === 'authenticated' || access.includes(role);
  if (!allowed) return 403;
  return caller === 'otherOrg' ? otherOrg : ok;
}

export function callerRole(caller: Exclude<Caller, 'anonymous'>): Role {
  return caller === 'visitor' ? 'customer' : caller === 'otherOrg' ? 'admin' : caller;
}

export async function matrixContext(
  app: FastifyInstance,
  a: OrgFixture,
  b: OrgFixture,
  visitor: User,
  tokens: MatrixContext['tokens'],
): Promise<MatrixContext> {
  const platform = app.platform;
  const repo = usersRepo(platform.database);
  let hash: Promise<string> | undefined;
  const freshUser: MatrixContext['freshUser'] = async (role, opts = {}) => {
    if (opts.withPassword) hash ??= hashPassword(TEST_PASSWORD);
    const tag = randomUUID().slice(0, 8);
    return insertTestUser(platform, {
      orgId: (opts.org === 'b' ? b : a).org.id,
      email: `fresh-${tag}@matrix.test`,
      displayName: `fresh ${role}`,
      role,
      passwordHash: opts.withPassword && hash ? await hash : null,
    });
  };
  return {
    app,
    platform,
    a,
    b,
    visitor,
    tokens,
    freshUser,
    async freshCaller(caller) {
      let user = await freshUser(callerRole(caller), { withPassword: true, org: caller === 'otherOrg' ? 'b' : 'a' });
      if (caller === 'visitor') {
        await repo.update(user.orgId, user.id, { kind: 'visitor', passwordHash: null });
        user = toUser(
          (await repo.findById(user.orgId, user.id)) as NonNullable<Awaited<ReturnType<typeof repo.findById>>>,
        );
      }
      return { user, token: (await sessionFor(platform, user)).accessToken };
    },
  };
}
