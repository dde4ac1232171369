import type { Caller, EventCase, MatrixContext, RouteCase } from '../../test/matrix.js';
import { pendingApprovalFixture } from '../approvals/approvals.fixtures.js';

/**
 * A support conversation of org A that `caller` may act on: a customer's or visitor's own, else the org-A
 * customer's (staff act on any of their org's; org B's admin must get 404).
 */
export async function conversationFor(ctx: MatrixContext, caller: Caller): Promise<string> {
  const token = caller === 'visitor' || caller === 'customer' ? ctx.tokens[caller] : ctx.tokens.customer;
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: { authorization: `Bearer ${token}` },
    payload: { kind: 'support' },
  });
  if (res.statusCode !== 201) throw new Error(`support conversation: ${res.statusCode} ${res.body}`);
  return res.json().conversation.id;
}

/** A pending approval item in org A, on a fresh support conversation. */
const approvalFor = async (ctx: MatrixContext, caller: Caller) =>
  pendingApprovalFixture(ctx, await conversationFor(ctx, caller));

const support = (action: string, payload?: (ctx: MatrixContext) => unknown): RouteCase => ({
  route: `POST /api/v1/support/:conversationId/${action}`,
  request: async (ctx, caller) => ({
    url: `/api/v1/support/${await conversationFor(ctx, caller)}/${action}`,
    ...(payload ? { payload: payload(ctx) } : {}),
  }),
  ok: 204,
  otherOrg: 404,
});

const copilot = (action: string, ok: number, payload?: () => unknown): RouteCase => ({
  route: `POST /api/v1/support/:conversationId/copilot/${action}`,
  request: async (ctx, caller) => ({
    url: `/api/v1/support/${await conversationFor(ctx, caller)}/copilot/${action}`,
    ...(payload ? { payload: payload() } : {}),
  }),
  ok,
  otherOrg: 404,
});

/** Settings and outcomes: supervisors read, admins change; support actions: customers on their own, staff on any. */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/ai/settings' },
  { route: 'PATCH /api/v1/ai/settings', request: () => ({ payload: { threshold: 0.75 } }) },
  { route: 'GET /api/v1/ai/outcomes' },
  {
    route: 'GET /api/v1/support/:conversationId',
    request: async (ctx, caller) => ({ url: `/api/v1/support/${await conversationFor(ctx, caller)}` }),
    otherOrg: 404,
  },
  support('handoff'),
  support('take'),
  support('resolve'),
  support('reopen'),
  support('transfer', (ctx) => ({ agentId: ctx.a.users.agent.id })),
  support('csat', () => ({ score: 4 })),
  { route: 'GET /api/v1/support', request: () => ({ url: '/api/v1/support?status=ai_active' }) },
  {
    route: 'GET /api/v1/support/:conversationId/messages',
    request: async (ctx, caller) => ({ url: `/api/v1/support/${await conversationFor(ctx, caller)}/messages` }),
    otherOrg: 404,
  },
  // The copilot: staff only. The matrix app has no LLM, so rewrite / translate / summary answer 501.
  copilot('suggest', 200, () => ({ question: 'How do I reset my password?' })),
  copilot('rewrite', 501, () => ({ text: 'pls reset it', style: 'grammar' })),
  copilot('translate', 501, () => ({ text: 'Hello', language: 'de' })),
  copilot('summary', 501),
  { route: 'GET /api/v1/support-routing' },
  // Agents always take chats: opting out is refused (400); supervisors and admins switch it.
  {
    route: 'PUT /api/v1/support-routing',
    request: () => ({ payload: { takesChats: false } }),
    expect: { agent: 400 },
  },
  { route: 'GET /api/v1/approvals/pending' },
  { route: 'GET /api/v1/approvals/thresholds' },
  { route: 'GET /api/v1/approvals/edits' },
  {
    route: 'POST /api/v1/approvals/:id/claim',
    request: async (ctx, caller) => ({ url: `/api/v1/approvals/${await approvalFor(ctx, caller)}/claim` }),
    otherOrg: 404,
  },
  {
    route: 'POST /api/v1/approvals/:id/decision',
    request: async (ctx, caller) => ({
      url: `/api/v1/approvals/${await approvalFor(ctx, caller)}/decision`,
      payload: { action: 'reject', reason: 'matrix' },
    }),
    otherOrg: 404,
  },
];

export const matrixEvents: EventCase[] = [
  {
    event: 'support.handoff',
    access: 'authenticated',
    payload: async (ctx, caller) => ({ conversationId: await conversationFor(ctx, caller) }),
    otherOrg: 'not_found',
  },
];
