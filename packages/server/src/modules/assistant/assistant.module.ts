import { HandoffParamsSchema } from '@switchboard/protocol';
import type { Server as SocketServer } from 'socket.io';
import { z } from 'zod';
import type { Actor } from '../../http/access.js';
import type { ServerModule } from '../../modules.js';
import { llmConfigured } from '../../platform/ai.js';
import { onEvent } from '../../socket/ack.js';
import { approvalsRoutes } from '../approvals/approvals.http.js';
import { APPROVAL_TIMEOUT_TASK, approvalsService } from '../approvals/approvals.service.js';
import { messengerFor } from '../messenger/messenger.module.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { presenceOf } from '../presence/presence.service.js';
import { assistantRoutes, requireSupportAccess } from './assistant.http.js';
import { assistantService, DRAFT_TASK, DraftTaskSchema } from './assistant.service.js';
import { type ContactCenter, contactCenter } from './contact-center.js';
import { copilotRoutes } from './copilot.http.js';
import { copilotService } from './copilot.js';
import { inboxRoutes } from './inbox.http.js';
import { supportInbox } from './inbox.js';
import { llmResponder } from './llm-responder.js';

type Logger = { error(obj: object, msg: string): void };
const perApp = new WeakMap<SocketServer, { cc: ContactCenter; messenger: MessengerService; log: Logger }>();

/**
 * The AI contact center (issue 9): the assistant's draft task, the approval queue with its timeout task,
 * handoff and routing. Registered after the messenger, whose service it uses.
 */
export const assistantModule: ServerModule = {
  name: 'assistant',
  async http(app, { platform, io }) {
    const messenger = messengerFor(io);
    if (!messenger) throw new Error('the assistant needs the messenger module registered before it');
    const cc = contactCenter(platform, io, messenger);
    const approvals = approvalsService(platform, io, cc);
    const llm = llmConfigured(platform.config.ai)
      ? llmResponder(platform.config.ai, platform.metrics.registry)
      : undefined;
    const assistant = assistantService(platform, messenger, cc, approvals, llm);
    perApp.set(io, { cc, messenger, log: app.log });
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
    const unsubscribe = messenger.onMessageStored((actor: Actor, message) => {
      if (actor.role !== 'customer') return;
      assistant
        .onCustomerMessage(actor, message)
        .catch((err) => app.log.error({ err }, 'assistant: message hook failed'));
    });
    // An agent coming online may take a waiting conversation.
    const unwatch = presenceOf(platform).onChange((change) => {
      if (change.role === 'customer' || change.presence.status !== 'online') return;
      cc.assignWaiting(change.orgId).catch((err) => app.log.error({ err }, 'assistant: assignment failed'));
    });
    app.addHook('onClose', async () => {
      unsubscribe();
      unwatch();
    });
    await assistantRoutes(app, cc, messenger);
    await approvalsRoutes(app, approvals);
    await inboxRoutes(app, supportInbox(platform, cc, messenger), messenger);
    await copilotRoutes(app, copilotService(platform, messenger, assistant.draftAnswer));
  },
  socket(socket, { io }) {
    const found = perApp.get(io);
    const actor = (socket.data as { actor?: Actor }).actor;
    if (!found || !actor) return;
    onEvent(
      socket,
      'support.handoff',
      HandoffParamsSchema,
      async ({ conversationId }) => {
        await requireSupportAccess(found.messenger, actor, conversationId);
        return { status: await found.cc.requestHuman(actor.orgId, conversationId, actor.userId, 'handed_off') };
      },
      found.log,
    );
  },
};
