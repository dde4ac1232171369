import { randomUUID } from 'node:crypto';
import type { Actor } from '../../actor.js';
import { sessionFor, TEST_PASSWORD } from '../../test/auth.js';
import type { EventCase, MatrixContext, RouteCase } from '../../test/matrix.js';
import { orgsService } from '../orgs/orgs.service.js';
import { usersService } from '../users/users.service.js';

const adminOfA = (ctx: MatrixContext): Actor => ({
  userId: ctx.a.users.admin.id,
  orgId: ctx.a.org.id,
  role: 'admin',
  sessionId: randomUUID(),
  kind: 'user',
});

export const matrixCases: RouteCase[] = [
  {
    route: 'POST /api/v1/auth/login',
    request: (ctx) => ({ payload: { email: ctx.a.emails.agent, password: TEST_PASSWORD } }),
  },
  {
    route: 'POST /api/v1/auth/refresh',
    request: async (ctx) => ({
      payload: { refreshToken: (await sessionFor(ctx.platform, ctx.a.users.agent)).refreshToken },
    }),
  },
  {
    route: 'POST /api/v1/auth/logout',
    // Each caller logs out a session of its own, so the shared tokens stay valid for the other cases.
    request: async (ctx, caller) => (caller === 'anonymous' ? {} : { token: (await ctx.freshCaller(caller)).token }),
    ok: 204,
  },
  { route: 'GET /api/v1/auth/me' },
  {
    route: 'POST /api/v1/auth/password',
    request: async (ctx, caller) => ({
      ...(caller === 'anonymous' ? {} : { token: (await ctx.freshCaller(caller)).token }),
      payload: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
    }),
    // A widget visitor has no password to change.
    expect: { visitor: 403 },
  },
  {
    route: 'POST /api/v1/auth/accept-invite',
    request: async (ctx) => {
      const email = `invitee-${randomUUID().slice(0, 8)}@matrix.test`;
      const { inviteToken } = await usersService(ctx.platform).invite(adminOfA(ctx), { email, role: 'agent' });
      return { payload: { token: inviteToken, password: TEST_PASSWORD } };
    },
  },
  {
    route: 'POST /api/v1/widget/session',
    request: async (ctx) => ({
      payload: { widgetKey: (await orgsService(ctx.platform).widgetSettings(adminOfA(ctx))).widgetKey },
    }),
  },
];

export const matrixEvents: EventCase[] = [
  {
    event: 'auth.refresh',
    access: 'authenticated',
    payload: (ctx, caller) => ({ accessToken: ctx.tokens[caller] }),
  },
];
