import type { Caller, MatrixContext, RouteCase } from '../../test/matrix.js';

/** A task of org A owned by the caller (org B's admin gets an org-A task: 404), parked far in the future. */
async function taskOf(ctx: MatrixContext, caller: Caller, state?: 'dead'): Promise<string> {
  const owner =
    caller === 'visitor'
      ? ctx.visitor
      : caller === 'anonymous' || caller === 'otherOrg'
        ? ctx.a.users.admin
        : ctx.a.users[caller];
  const { task } = await ctx.platform.jobs.submit({
    type: 'demo.sleep',
    payload: { seconds: 0 },
    orgId: ctx.a.org.id,
    ownerId: owner.id,
    runAt: Date.now() + 3_600_000,
  });
  if (state) await ctx.platform.database.db.updateTable('jobs').set({ state }).where('id', '=', task.id).execute();
  return task.id;
}

const everyone401 = {
  anonymous: 401,
  customer: 401,
  visitor: 401,
  agent: 401,
  supervisor: 401,
  admin: 401,
  otherOrg: 401,
};

/** Callers reach only their own tasks; admins the tasks of their own org; the callback only with a signature. */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/tasks/types' },
  {
    // Customers and visitors submit only the types an admin listed for the org explicitly (none here).
    route: 'POST /api/v1/tasks',
    ok: 201,
    expect: { customer: 403, visitor: 403 },
    request: () => ({ payload: { type: 'demo.sleep', payload: { seconds: 0 } } }),
  },
  { route: 'GET /api/v1/tasks' },
  {
    route: 'GET /api/v1/tasks/:id',
    otherOrg: 404,
    request: async (ctx, caller) => ({ url: `/api/v1/tasks/${await taskOf(ctx, caller)}` }),
  },
  {
    route: 'POST /api/v1/tasks/:id/cancel',
    otherOrg: 404,
    request: async (ctx, caller) => ({ url: `/api/v1/tasks/${await taskOf(ctx, caller)}/cancel` }),
  },
  {
    route: 'POST /api/v1/tasks/:id/retry',
    otherOrg: 404,
    request: async (ctx, caller) => ({ url: `/api/v1/tasks/${await taskOf(ctx, caller, 'dead')}/retry` }),
  },
  { route: 'GET /api/v1/admin/tasks' },
  {
    route: 'GET /api/v1/admin/tasks/:id',
    otherOrg: 404,
    request: async (ctx, caller) => ({ url: `/api/v1/admin/tasks/${await taskOf(ctx, caller)}` }),
  },
  { route: 'POST /api/v1/admin/tasks/redrive', request: () => ({ payload: { type: 'demo.sleep' } }) },
  { route: 'POST /api/v1/admin/tasks/purge', request: () => ({ payload: { state: 'cancelled' } }) },
  { route: 'PUT /api/v1/admin/tasks/types', request: () => ({ payload: { types: ['demo.sleep', 'export.tasks'] } }) },
  // Public by token, guarded by its signature: an unsigned call is refused whoever makes it.
  {
    route: 'POST /api/v1/tasks/callback',
    ok: 401,
    otherOrg: 401,
    expect: everyone401,
    request: () => ({ payload: { event: 'complete', taskId: '00000000-0000-4000-8000-000000000000' } }),
  },
];
