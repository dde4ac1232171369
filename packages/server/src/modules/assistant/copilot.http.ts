import { assistantRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { CopilotService } from './copilot.js';

/** The agent copilot (staff only, on any of the org's support conversations, whatever its status). */
export async function copilotRoutes(app: FastifyInstance, copilot: CopilotService) {
  registerRoute(app, routes.copilotSuggest, async ({ actor, params, body }) =>
    copilot.suggest(actor, params.conversationId, body ?? {}),
  );
  registerRoute(app, routes.copilotRewrite, async ({ actor, params, body }) =>
    copilot.rewrite(actor, params.conversationId, body),
  );
  registerRoute(app, routes.copilotTranslate, async ({ actor, params, body }) =>
    copilot.translate(actor, params.conversationId, body),
  );
  registerRoute(app, routes.copilotSummary, async ({ actor, params }) =>
    copilot.summarise(actor, params.conversationId),
  );
}
