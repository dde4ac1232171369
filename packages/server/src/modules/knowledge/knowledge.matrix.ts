import type { RouteCase } from '../../test/matrix.js';
import { knowledgeService } from './knowledge.service.js';

const article = { title: 'Matrix article', body: 'Body text.', topics: ['matrix'] };

async function articleOfA(ctx: Parameters<NonNullable<RouteCase['request']>>[0]): Promise<string> {
  const { created } = await knowledgeService(ctx.platform).import(ctx.a.org.id, null, { articles: [article] });
  if (!created) throw new Error('no article');
  const list = await knowledgeService(ctx.platform).list({
    userId: ctx.a.users.admin.id,
    orgId: ctx.a.org.id,
    role: 'admin',
    sessionId: 'matrix',
    kind: 'user',
  });
  const last = list.at(-1);
  if (!last) throw new Error('no article');
  return last.id;
}

/** The knowledge base is for supervisors and admins of the article's org. */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/kb/articles' },
  { route: 'POST /api/v1/kb/articles', request: () => ({ payload: article }), ok: 201 },
  { route: 'POST /api/v1/kb/import', request: () => ({ payload: { articles: [article] } }) },
  {
    route: 'GET /api/v1/kb/articles/:id',
    request: async (ctx) => ({ url: `/api/v1/kb/articles/${await articleOfA(ctx)}` }),
    otherOrg: 404,
  },
  {
    route: 'PATCH /api/v1/kb/articles/:id',
    request: async (ctx) => ({ url: `/api/v1/kb/articles/${await articleOfA(ctx)}`, payload: { published: false } }),
    otherOrg: 404,
  },
  {
    route: 'DELETE /api/v1/kb/articles/:id',
    request: async (ctx) => ({ url: `/api/v1/kb/articles/${await articleOfA(ctx)}` }),
    ok: 204,
    otherOrg: 404,
  },
];
