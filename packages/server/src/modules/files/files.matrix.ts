import type { MatrixContext, RouteCase } from '../../test/matrix.js';
import { multipart, png, waitForMeta } from './files.fixture.js';

const made = new Map<string, Promise<string>>();

/**
 * An image of org A, sent by its admin in a group nobody else is in: everyone but the admin is a
 * non-member and gets 404.
 */
function fileOfA(ctx: MatrixContext): Promise<string> {
  const key = ctx.a.org.id;
  let id = made.get(key);
  if (!id) {
    id = (async () => {
      const headers = { authorization: `Bearer ${ctx.tokens.admin}` };
      const conv = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers,
        payload: { kind: 'group', name: 'matrix files' },
      });
      const conversationId = conv.json().conversation.id as string;
      const body = multipart('matrix.png', await png(20, 10));
      const up = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/files?conversationId=${conversationId}`,
        headers: { ...headers, ...body.headers },
        payload: body.payload,
      });
      const fileId = up.json().id as string;
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers,
        payload: { clientMsgId: crypto.randomUUID(), text: 'matrix', attachments: [fileId] },
      });
      await waitForMeta(ctx.app, ctx.tokens.admin, fileId, (m) => m.thumbnails.length === 3);
      return fileId;
    })();
    made.set(key, id);
  }
  return id;
}

const membersOnly = { customer: 404, visitor: 404, agent: 404, supervisor: 404 };

/** Files are for the members of their conversation; settings for admins of their own org. */
export const matrixCases: RouteCase[] = [
  {
    // The matrix sends JSON: an allowed caller passes access and is told to send multipart.
    route: 'POST /api/v1/files',
    request: () => ({ url: `/api/v1/files?conversationId=${crypto.randomUUID()}`, payload: { file: 'x' } }),
    ok: 415,
  },
  { route: 'GET /api/v1/files/settings' },
  { route: 'PUT /api/v1/files/settings', request: () => ({ payload: { serveUnscanned: true } }) },
  {
    route: 'GET /api/v1/files/:id/meta',
    request: async (ctx) => ({ url: `/api/v1/files/${await fileOfA(ctx)}/meta` }),
    otherOrg: 404,
    expect: membersOnly,
  },
  {
    route: 'GET /api/v1/files/:id',
    request: async (ctx) => ({ url: `/api/v1/files/${await fileOfA(ctx)}` }),
    otherOrg: 404,
    expect: membersOnly,
  },
  {
    route: 'GET /api/v1/files/:id/thumbnails/:size',
    request: async (ctx) => ({ url: `/api/v1/files/${await fileOfA(ctx)}/thumbnails/300` }),
    otherOrg: 404,
    expect: membersOnly,
  },
];
