import { STAFF_ROLES, SUPERVISOR_ROLES } from './common.js';
import {
  ApprovalDecisionSchema,
  ApprovalIdParamsSchema,
  ApprovalListSchema,
  ApprovalSchema,
  DecisionThresholdsSchema,
  DraftEditListSchema,
} from './contact-center.js';
import { defineRoute } from './routes.js';

const tags = ['approvals'] as const;

/**
 * The approval queue of AI drafts, defined once for the server and the SDK (see `defineRoute`): staff list,
 * claim and decide; supervisors and admins read the threshold table and the edited drafts.
 */
export const approvalsRouteDefs = {
  pendingApprovals: defineRoute({
    method: 'GET',
    path: '/api/v1/approvals/pending',
    summary: 'Drafts waiting for a decision, oldest first',
    tags,
    access: STAFF_ROLES,
    status: 200,
    response: ApprovalListSchema,
  }),
  approvalThresholds: defineRoute({
    method: 'GET',
    path: '/api/v1/approvals/thresholds',
    summary: "The org's own threshold table from its decided drafts (share auto-sent vs precision)",
    tags,
    access: SUPERVISOR_ROLES,
    status: 200,
    response: DecisionThresholdsSchema,
  }),
  draftEdits: defineRoute({
    method: 'GET',
    path: '/api/v1/approvals/edits',
    summary: 'Drafts agents edited before sending, newest first: suggested improvements to the quoted articles',
    tags,
    access: SUPERVISOR_ROLES,
    status: 200,
    response: DraftEditListSchema,
  }),
  claimApproval: defineRoute({
    method: 'POST',
    path: '/api/v1/approvals/:id/claim',
    summary: 'Lock an item to me (409 while another agent holds it; a claim expires after 60 s)',
    tags,
    access: STAFF_ROLES,
    params: ApprovalIdParamsSchema,
    status: 200,
    response: ApprovalSchema,
    errors: [404, 409],
  }),
  decideApproval: defineRoute({
    method: 'POST',
    path: '/api/v1/approvals/:id/decision',
    summary: 'Approve (send as is), edit (send my text) or reject (I take the conversation)',
    tags,
    access: STAFF_ROLES,
    params: ApprovalIdParamsSchema,
    body: ApprovalDecisionSchema,
    status: 200,
    response: ApprovalSchema,
    errors: [404, 409],
  }),
};
