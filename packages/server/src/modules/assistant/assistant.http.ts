import { assistantRouteDefs as routes, SupportStateSchema } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/access.js';
import { registerRoute } from '../../http/define-route.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { ContactCenter } from './contact-center.js';

/** A customer acts only on their own support conversations (others are `not_found`); staff on any of the org's. */
export async function requireSupportAccess(messenger: MessengerService, actor: Actor, conversationId: string) {
  const c = await messenger.support.get(actor.orgId, conversationId);
  if (actor.role === 'customer' && !c.members.some((m) => m.userId === actor.userId))
    throw new AppError('not_found', 'no such support conversation');
  return c;
}

export async function assistantRoutes(app: FastifyInstance, cc: ContactCenter, messenger: MessengerService) {
  registerRoute(app, routes.aiSettings, async ({ actor }) => cc.settings(actor.orgId));
  registerRoute(app, routes.updateAiSettings, async ({ actor, body }) => cc.updateSettings(actor.orgId, body));
  registerRoute(app, routes.outcomes, async ({ actor }) => ({ items: await cc.outcomes(actor.orgId) }));
  registerRoute(app, routes.supportState, async ({ actor, params }) => {
    await requireSupportAccess(messenger, actor, params.conversationId);
    const s = await cc.state(actor.orgId, params.conversationId);
    const settings = await cc.settingsRow(actor.orgId);
    return {
      conversationId: s.conversationId,
      status: SupportStateSchema.shape.status.catch('ai_active').parse(s.status),
      assignedTo: s.assignedTo,
      queuePosition: (await cc.queuePosition(actor.orgId, s.conversationId)) ?? null,
      aiUserId: settings.aiUserId,
      staffLabel: cc.toSettings(settings).staffLabel,
    };
  });
  registerRoute(app, routes.handoff, async ({ actor, params }) => {
    await requireSupportAccess(messenger, actor, params.conversationId);
    await cc.requestHuman(actor.orgId, params.conversationId, actor.userId, 'handed_off');
    return undefined;
  });
  for (const action of ['take', 'resolve', 'reopen'] as const) {
    registerRoute(app, routes[action], async ({ actor, params }) => {
      await requireSupportAccess(messenger, actor, params.conversationId);
      await cc[action](actor, params.conversationId);
      return undefined;
    });
  }
  registerRoute(app, routes.transfer, async ({ actor, params, body }) => {
    await requireSupportAccess(messenger, actor, params.conversationId);
    await cc.take(actor, params.conversationId, body.agentId);
    return undefined;
  });
  registerRoute(app, routes.csat, async ({ actor, params, body }) => {
    await requireSupportAccess(messenger, actor, params.conversationId);
    await cc.csat(actor, params.conversationId, body.score);
    return undefined;
  });
}
