import { ADMIN_ROLES, STAFF_ROLES, SUPERVISOR_ROLES } from './common.js';
import {
  AiOutcomeListSchema,
  AiSettingsSchema,
  CsatSchema,
  HandoffParamsSchema,
  SupportStateSchema,
  TransferSchema,
  UpdateAiSettingsSchema,
} from './contact-center.js';
import {
  CopilotRewriteSchema,
  CopilotSuggestionSchema,
  CopilotSuggestSchema,
  CopilotTextSchema,
  CopilotTranslateSchema,
} from './copilot.js';
import { HistoryPageSchema, HistoryQuerySchema } from './messages.js';
import { defineRoute } from './routes.js';
import { SupportInboxQuerySchema, SupportInboxSchema } from './support-inbox.js';

const tags = ['contact center'] as const;

/** A staff action on one support conversation: no body, no answer (204), 404 for another org's or none. */
const action = {
  method: 'POST',
  tags,
  access: STAFF_ROLES,
  params: HandoffParamsSchema,
  status: 204,
  response: null,
  errors: [404],
} as const;

/** A copilot route that needs an LLM (staff only, on any of the org's support conversations). */
const llm = {
  method: 'POST',
  tags,
  access: STAFF_ROLES,
  params: HandoffParamsSchema,
  status: 200,
  response: CopilotTextSchema,
  description:
    'Without an LLM configured: 501 `llm_not_configured`; the LLM failing after its retries: 502 `llm_failed`.',
} as const;

/**
 * The contact center's REST routes, defined once for the server and the SDK (see `defineRoute`): the
 * assistant's settings and outcomes, a support conversation's state and the actions on it (ask for a person,
 * take, resolve, reopen, transfer, rate), the staff inbox and history, and the agent copilot. A customer acts
 * only on their own support conversations (others are 404); staff on any of the org's.
 */
export const assistantRouteDefs = {
  aiSettings: defineRoute({
    method: 'GET',
    path: '/api/v1/ai/settings',
    summary: "The org's assistant settings",
    tags,
    access: SUPERVISOR_ROLES,
    status: 200,
    response: AiSettingsSchema,
  }),
  updateAiSettings: defineRoute({
    method: 'PATCH',
    path: '/api/v1/ai/settings',
    summary: 'Change the threshold, approval timeout, capacity or switch the AI off',
    tags,
    access: ADMIN_ROLES,
    body: UpdateAiSettingsSchema,
    status: 200,
    response: AiSettingsSchema,
  }),
  outcomes: defineRoute({
    method: 'GET',
    path: '/api/v1/ai/outcomes',
    summary:
      'Outcome events for the dashboard (auto_sent, approved, edited, rejected, escalated, handed_off, resolved, csat)',
    tags,
    access: SUPERVISOR_ROLES,
    status: 200,
    response: AiOutcomeListSchema,
  }),
  supportState: defineRoute({
    method: 'GET',
    path: '/api/v1/support/:conversationId',
    summary: 'Status, assignee and queue position',
    tags,
    access: 'authenticated',
    params: HandoffParamsSchema,
    status: 200,
    response: SupportStateSchema,
    errors: [404],
  }),
  handoff: defineRoute({
    ...action,
    path: '/api/v1/support/:conversationId/handoff',
    summary: 'Ask for a person',
    access: 'authenticated',
  }),
  take: defineRoute({ ...action, path: '/api/v1/support/:conversationId/take', summary: 'Take the conversation' }),
  resolve: defineRoute({
    ...action,
    path: '/api/v1/support/:conversationId/resolve',
    summary: 'Resolve the conversation',
  }),
  reopen: defineRoute({
    ...action,
    path: '/api/v1/support/:conversationId/reopen',
    summary: 'Reopen the conversation',
  }),
  transfer: defineRoute({
    ...action,
    path: '/api/v1/support/:conversationId/transfer',
    summary: 'Hand the conversation to another agent',
    body: TransferSchema,
  }),
  csat: defineRoute({
    ...action,
    path: '/api/v1/support/:conversationId/csat',
    summary: 'Rate the conversation 1–5',
    access: ['customer'],
    body: CsatSchema,
  }),
  supportInbox: defineRoute({
    method: 'GET',
    path: '/api/v1/support',
    summary: 'Support conversations, newest activity first, by status or assigned to me',
    tags,
    access: STAFF_ROLES,
    query: SupportInboxQuerySchema,
    status: 200,
    response: SupportInboxSchema,
  }),
  supportHistory: defineRoute({
    method: 'GET',
    path: '/api/v1/support/:conversationId/messages',
    summary: "A support conversation's messages for staff (no need to join it first)",
    tags,
    access: STAFF_ROLES,
    params: HandoffParamsSchema,
    query: HistoryQuerySchema,
    status: 200,
    response: HistoryPageSchema,
    errors: [404],
  }),
  copilotSuggest: defineRoute({
    method: 'POST',
    path: '/api/v1/support/:conversationId/copilot/suggest',
    summary: "Suggest a reply from the knowledge base to the customer's latest message (or to `question`)",
    tags,
    access: STAFF_ROLES,
    params: HandoffParamsSchema,
    body: CopilotSuggestSchema,
    status: 200,
    response: CopilotSuggestionSchema,
    errors: [404, 409],
  }),
  copilotRewrite: defineRoute({
    ...llm,
    path: '/api/v1/support/:conversationId/copilot/rewrite',
    summary: 'Rewrite a reply shorter, friendlier or with grammar fixed (needs an LLM)',
    body: CopilotRewriteSchema,
    errors: [404, 501, 502],
  }),
  copilotTranslate: defineRoute({
    ...llm,
    path: '/api/v1/support/:conversationId/copilot/translate',
    summary: 'Translate a text into another language (needs an LLM)',
    body: CopilotTranslateSchema,
    errors: [404, 501, 502],
  }),
  copilotSummary: defineRoute({
    ...llm,
    path: '/api/v1/support/:conversationId/copilot/summary',
    summary: 'Summarise the conversation for a colleague taking it over (needs an LLM)',
    errors: [404, 409, 501, 502],
  }),
};
