import { agentToolRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { LabelsService } from './labels.service.js';

/** Labels: staff read and apply them; supervisors and admins manage the org's set; customers get 403. */
export async function labelsRoutes(app: FastifyInstance, labels: LabelsService) {
  registerRoute(app, routes.listLabels, async ({ actor }) => ({ items: await labels.list(actor) }));
  registerRoute(app, routes.createLabel, ({ actor, body }) => labels.create(actor, body));
  registerRoute(app, routes.deleteLabel, async ({ actor, params }) => {
    await labels.remove(actor, params.id);
    return undefined;
  });
  registerRoute(app, routes.addLabel, async ({ actor, params: { conversationId, labelId } }) => ({
    conversationId,
    labelIds: await labels.attach(actor, conversationId, labelId),
  }));
  registerRoute(app, routes.removeLabel, async ({ actor, params: { conversationId, labelId } }) => ({
    conversationId,
    labelIds: await labels.detach(actor, conversationId, labelId),
  }));
}
