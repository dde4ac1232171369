import {
  ApprovalDecisionSchema,
  ApprovalIdParamsSchema,
  ApprovalListSchema,
  ApprovalSchema,
  DecisionThresholdsSchema,
  DraftEditListSchema,
  ProblemSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, STAFF, SUPERVISORS } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { ApprovalsService } from './approvals.service.js';

const tags = ['approvals'];
const config = { access: STAFF };

/** The approval queue of AI drafts, for the org's staff. */
export async function approvalsRoutes(app: FastifyInstance, approvals: ApprovalsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/approvals/pending',
    {
      config,
      schema: {
        tags,
        summary: 'Drafts waiting for a decision, oldest first',
        security,
        response: { 200: ApprovalListSchema, ...denied },
      },
    },
    async (req) => ({ items: await approvals.pending(actorOf(req)) }),
  );
  r.get(
    '/api/v1/approvals/thresholds',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags,
        summary: "The org's own threshold table from its decided drafts (share auto-sent vs precision)",
        security,
        response: { 200: DecisionThresholdsSchema, ...denied },
      },
    },
    async (req) => approvals.thresholds(actorOf(req)),
  );
  r.get(
    '/api/v1/approvals/edits',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags,
        summary: 'Drafts agents edited before sending, newest first: suggested improvements to the quoted articles',
        security,
        response: { 200: DraftEditListSchema, ...denied },
      },
    },
    async (req) => approvals.edits(actorOf(req)),
  );
  r.post(
    '/api/v1/approvals/:id/claim',
    {
      config,
      schema: {
        tags,
        summary: 'Lock an item to me (409 while another agent holds it; a claim expires after 60 s)',
        security,
        params: ApprovalIdParamsSchema,
        response: { 200: ApprovalSchema, ...denied, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => approvals.claim(actorOf(req), req.params.id),
  );
  r.post(
    '/api/v1/approvals/:id/decision',
    {
      config,
      schema: {
        tags,
        summary: 'Approve (send as is), edit (send my text) or reject (I take the conversation)',
        security,
        params: ApprovalIdParamsSchema,
        body: ApprovalDecisionSchema,
        response: { 200: ApprovalSchema, ...denied, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => approvals.decide(actorOf(req), req.params.id, req.body),
  );
}
