import { randomUUID } from 'node:crypto';
import { TEST_PASSWORD } from '../../test/auth.js';
import type { RouteCase } from '../../test/matrix.js';

const email = () => `new-${randomUUID().slice(0, 8)}@matrix.test`;

/** Admins manage users, supervisors list and read, staff see the directory; org B's admin never reaches an org-A user (404). */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/users' },
  { route: 'GET /api/v1/users/directory' },
  {
    route: 'GET /api/v1/users/:id',
    request: (ctx) => ({ url: `/api/v1/users/${ctx.a.users.agent.id}` }),
    otherOrg: 404,
  },
  {
    route: 'POST /api/v1/users',
    request: () => ({ payload: { email: email(), password: TEST_PASSWORD, role: 'agent' } }),
    ok: 201,
  },
  { route: 'POST /api/v1/users/invite', request: () => ({ payload: { email: email(), role: 'agent' } }), ok: 201 },
  {
    route: 'POST /api/v1/users/:id/invite',
    request: async (ctx) => ({ url: `/api/v1/users/${(await ctx.freshUser('agent')).id}/invite` }),
    otherOrg: 404,
  },
  {
    route: 'PATCH /api/v1/users/:id',
    request: async (ctx) => ({
      url: `/api/v1/users/${(await ctx.freshUser('agent')).id}`,
      payload: { role: 'supervisor' },
    }),
    otherOrg: 404,
  },
  {
    route: 'POST /api/v1/users/:id/deactivate',
    request: async (ctx) => ({ url: `/api/v1/users/${(await ctx.freshUser('agent')).id}/deactivate` }),
    otherOrg: 404,
  },
  {
    route: 'POST /api/v1/users/:id/reactivate',
    request: async (ctx) => ({ url: `/api/v1/users/${(await ctx.freshUser('agent')).id}/reactivate` }),
    otherOrg: 404,
  },
];
