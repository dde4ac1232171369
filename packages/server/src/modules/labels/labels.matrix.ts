import type { MatrixContext, RouteCase } from '../../test/matrix.js';
import { conversationFor } from '../assistant/assistant.matrix.js';

/** A label of org A (made by its admin). */
async function labelOf(ctx: MatrixContext): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/labels',
    headers: { authorization: `Bearer ${ctx.tokens.admin}` },
    payload: { name: `m-${Math.random().toString(36).slice(2, 10)}` },
  });
  if (res.statusCode !== 201) throw new Error(`label: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

const onConversation = (method: 'PUT' | 'DELETE'): RouteCase => ({
  route: `${method} /api/v1/support/:conversationId/labels/:labelId`,
  request: async (ctx, caller) => ({
    url: `/api/v1/support/${await conversationFor(ctx, caller)}/labels/${await labelOf(ctx)}`,
  }),
  otherOrg: 404,
});

/** Staff read and apply labels; supervisors and admins manage the set; customers and visitors 403. */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/labels' },
  {
    route: 'POST /api/v1/labels',
    request: () => ({ payload: { name: `l-${Math.random().toString(36).slice(2, 10)}`, color: 'green' } }),
    ok: 201,
  },
  {
    route: 'DELETE /api/v1/labels/:id',
    request: async (ctx) => ({ url: `/api/v1/labels/${await labelOf(ctx)}` }),
    ok: 204,
    otherOrg: 404,
  },
  onConversation('PUT'),
  onConversation('DELETE'),
];
