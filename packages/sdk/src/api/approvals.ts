import { type ApprovalDecision, approvalsRouteDefs as routes } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * The approval queue of AI drafts (`/api/v1/approvals/…`, staff only): list, claim (a 60 s lock), decide.
 * Live changes arrive as `approval.created` / `approval.updated` client events.
 *
 * @example
 * ```ts
 * const { items } = await client.api.approvals.pending();
 * await client.api.approvals.claim(items[0].id);
 * await client.api.approvals.decide(items[0].id, { action: 'edit', text: 'Open Settings → Password.' });
 * ```
 */
export const approvalsApi = (call: RestCall) => ({
  /** Drafts waiting for a decision, oldest first. */
  pending: () => callRoute(call, routes.pendingApprovals),
  /** Supervisors, admins: the threshold table from the org's own decided drafts (share sent vs precision). */
  thresholds: () => callRoute(call, routes.approvalThresholds),
  /** Supervisors, admins: drafts agents edited before sending, as suggested knowledge-base improvements. */
  edits: () => callRoute(call, routes.draftEdits),
  /** Lock the item to me; rejects with `conflict` while another agent holds it. */
  claim: (id: string) => callRoute(call, routes.claimApproval, { params: { id } }),
  /** Approve (send as is), edit (send my text) or reject (I take the conversation). */
  decide: (id: string, decision: ApprovalDecision) =>
    callRoute(call, routes.decideApproval, { params: { id }, body: decision }),
});
