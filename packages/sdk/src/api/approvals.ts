import {
  type ApprovalDecision,
  ApprovalListSchema,
  ApprovalSchema,
  DecisionThresholdsSchema,
  DraftEditListSchema,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';

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
  pending: () => call('GET', '/api/v1/approvals/pending', ApprovalListSchema),
  /** Supervisors, admins: the threshold table from the org's own decided drafts (share sent vs precision). */
  thresholds: () => call('GET', '/api/v1/approvals/thresholds', DecisionThresholdsSchema),
  /** Supervisors, admins: drafts agents edited before sending, as suggested knowledge-base improvements. */
  edits: () => call('GET', '/api/v1/approvals/edits', DraftEditListSchema),
  /** Lock the item to me; rejects with `conflict` while another agent holds it. */
  claim: (id: string) => call('POST', `/api/v1/approvals/${id}/claim`, ApprovalSchema),
  /** Approve (send as is), edit (send my text) or reject (I take the conversation). */
  decide: (id: string, decision: ApprovalDecision) =>
    call('POST', `/api/v1/approvals/${id}/decision`, ApprovalSchema, { body: decision }),
});
