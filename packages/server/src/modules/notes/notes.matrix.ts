import type { RouteCase } from '../../test/matrix.js';
import { conversationFor } from '../assistant/assistant.matrix.js';

/** Private notes: staff of the conversation's org only; customers and visitors 403, another org 404. */
export const matrixCases: RouteCase[] = [
  {
    route: 'GET /api/v1/support/:conversationId/notes',
    request: async (ctx, caller) => ({ url: `/api/v1/support/${await conversationFor(ctx, caller)}/notes` }),
    otherOrg: 404,
  },
  {
    route: 'POST /api/v1/support/:conversationId/notes',
    request: async (ctx, caller) => ({
      url: `/api/v1/support/${await conversationFor(ctx, caller)}/notes`,
      payload: { text: 'matrix note' },
    }),
    ok: 201,
    otherOrg: 404,
  },
];
