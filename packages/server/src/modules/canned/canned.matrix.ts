import type { Caller, MatrixContext, RouteCase } from '../../test/matrix.js';

/** A personal canned response of the caller's own (staff), else the agent's (others never reach the service). */
async function ownResponse(ctx: MatrixContext, caller: Caller): Promise<string> {
  const token =
    caller === 'agent' || caller === 'supervisor' || caller === 'admin' ? ctx.tokens[caller] : ctx.tokens.agent;
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/canned-responses',
    headers: { authorization: `Bearer ${token}` },
    payload: { shortcut: `m${Math.random().toString(36).slice(2, 10)}`, title: 'matrix', text: 'matrix' },
  });
  if (res.statusCode !== 201) throw new Error(`canned response: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** Staff only; each staff member works on their own personal responses (another org's id is 404). */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/canned-responses' },
  {
    route: 'POST /api/v1/canned-responses',
    request: () => ({ payload: { shortcut: `p${Math.random().toString(36).slice(2, 10)}`, title: 't', text: 'x' } }),
    ok: 201,
  },
  {
    route: 'PATCH /api/v1/canned-responses/:id',
    request: async (ctx, caller) => ({
      url: `/api/v1/canned-responses/${await ownResponse(ctx, caller)}`,
      payload: { title: 'changed' },
    }),
    otherOrg: 404,
  },
  {
    route: 'DELETE /api/v1/canned-responses/:id',
    request: async (ctx, caller) => ({ url: `/api/v1/canned-responses/${await ownResponse(ctx, caller)}` }),
    ok: 204,
    otherOrg: 404,
  },
];
