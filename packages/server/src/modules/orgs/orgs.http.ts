import { orgsRouteDefs as defs } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { ModuleContext } from '../../server-module.js';
import { orgsService } from './orgs.service.js';

/** The caller's own org; no route names an org by id, so none can reach another. */
export async function orgsRoutes(app: FastifyInstance, { platform }: ModuleContext) {
  const orgs = orgsService(platform);

  registerRoute(app, defs.currentOrg, async ({ actor }) => orgs.current(actor));
  registerRoute(app, defs.updateOrg, async ({ actor, body }) => orgs.updateCurrent(actor, body));
  registerRoute(app, defs.widgetSettings, async ({ actor }) => orgs.widgetSettings(actor));
  registerRoute(app, defs.rotateWidgetSecret, async ({ actor }) => orgs.rotateWidgetSecret(actor));
}
