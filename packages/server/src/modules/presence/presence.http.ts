import { presenceRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { PresenceService } from './presence.service.js';

/** REST twins of the presence socket events; the same service answers both. */
export async function presenceRoutes(app: FastifyInstance, svc: PresenceService) {
  registerRoute(app, routes.onlineStatus, async ({ actor, query }) => svc.page(actor, query));
  registerRoute(app, routes.onlineStats, async ({ actor }) => svc.stats(actor));
  registerRoute(app, routes.userPresence, async ({ actor, params }) => svc.get(actor, params.userId));
  registerRoute(app, routes.presenceHeartbeat, async ({ actor, body }) => svc.heartbeat(actor, body ?? {}));
}
