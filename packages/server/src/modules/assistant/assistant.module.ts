import { HandoffParamsSchema } from '@switchboard/protocol';
import { z } from 'zod';
import type { ServerModule } from '../../server-module.js';
import { onEvent } from '../../socket/ack.js';
import { approvalsRoutes } from '../approvals/approvals.http.js';
import { APPROVAL_TIMEOUT_TASK } from '../approvals/approvals.service.js';
import { socketActor } from '../auth/auth.socket.js';
import { assistantRoutes, requireSupportAccess } from './assistant.http.js';
import { DRAFT_TASK, DraftTaskSchema } from './assistant.service.js';
import { copilotRoutes } from './copilot.http.js';
import { SUMMARY_TASK, SummaryTaskSchema } from './handoff-summary.js';
import { inboxRoutes } from './inbox.http.js';
import { routingRoutes } from './routing.http.js';

/**
 * The AI contact center (issue 9): the assistant's draft task, the approval queue with its timeout task,
 * handoff and routing. Its services are built, and connected to stored messages and presence, in services.ts.
 */
export const assistantModule: ServerModule = {
  name: 'assistant',
  async http(app, { platform, services }) {
    const { assistant, approvals, contactCenter, messenger, inbox, copilot, summaries } = services;
    if (!platform.jobs.handles(DRAFT_TASK)) {
      platform.jobs.register({
        type: DRAFT_TASK,
        schema: DraftTaskSchema,
        maxAttempts: 3,
        timeoutMs: 30_000,
        description: 'Draft an answer to a customer message and send it or queue it for approval',
        handler: (p) => assistant.runDraft(p),
      });
      platform.jobs.register({
        type: APPROVAL_TIMEOUT_TASK,
        schema: z.object({ orgId: z.string(), approvalId: z.string() }),
        description: 'Escalate an approval item nobody decided in time',
        handler: async (p) => approvals.timeout(p.orgId, p.approvalId),
      });
    }
    if (summaries && !platform.jobs.handles(SUMMARY_TASK))
      platform.jobs.register({
        type: SUMMARY_TASK,
        schema: SummaryTaskSchema,
        maxAttempts: 2,
        timeoutMs: 60_000,
        description: 'Summarise a support conversation for whoever takes it over (LLM only)',
        handler: (p) => summaries.run(p),
      });
    await assistantRoutes(app, contactCenter, messenger);
    await approvalsRoutes(app, approvals);
    await inboxRoutes(app, inbox, messenger);
    await routingRoutes(app, contactCenter);
    await copilotRoutes(app, copilot);
  },
  events({ io, services, log }) {
    onEvent(
      io,
      'support.handoff',
      HandoffParamsSchema,
      async (socket, { conversationId }) => {
        const actor = socketActor(socket);
        await requireSupportAccess(services.messenger, actor, conversationId);
        return {
          status: await services.contactCenter.requestHuman(actor.orgId, conversationId, actor.userId, 'handed_off'),
        };
      },
      log,
    );
  },
};
