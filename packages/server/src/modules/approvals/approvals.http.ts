import { approvalsRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { ApprovalsService } from './approvals.service.js';

/** The approval queue of AI drafts, for the org's staff. */
export async function approvalsRoutes(app: FastifyInstance, approvals: ApprovalsService) {
  registerRoute(app, routes.pendingApprovals, async ({ actor }) => ({ items: await approvals.pending(actor) }));
  registerRoute(app, routes.approvalThresholds, async ({ actor }) => approvals.thresholds(actor));
  registerRoute(app, routes.draftEdits, async ({ actor }) => approvals.edits(actor));
  registerRoute(app, routes.claimApproval, async ({ actor, params }) => approvals.claim(actor, params.id));
  registerRoute(app, routes.decideApproval, async ({ actor, params, body }) =>
    approvals.decide(actor, params.id, body),
  );
}
