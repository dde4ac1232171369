import { presenceRouteDefs as routes, type UserPresence } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { PresenceService } from './presence.service.js';

/** Users carry no avatar in Switchboard; the document's field is kept so its clients find it. */
const legacy = (p: UserPresence) => ({ ...p, avatar: null });

/**
 * The presence document's routes (`/api/online-status…`): the same access and service calls as the v1
 * routes in presence.http.ts, wrapped in the document's `{ success, … }` shapes so its clients run unchanged.
 */
export async function presenceAliasRoutes(app: FastifyInstance, svc: PresenceService) {
  registerRoute(app, routes.legacyOnlineStatus, async ({ actor, query }) => {
    const page = await svc.page(actor, query);
    return {
      success: true as const,
      count: page.items.length,
      users: page.items.map(legacy),
      nextCursor: page.nextCursor,
    };
  });
  registerRoute(app, routes.legacyOnlineStats, async ({ actor }) => ({
    success: true as const,
    stats: await svc.stats(actor),
  }));
  registerRoute(app, routes.legacyUserPresence, async ({ actor, params }) => {
    const p = await svc.get(actor, params.userId);
    return { success: true as const, online: p.status !== 'offline', ...legacy(p) };
  });
  registerRoute(app, routes.legacyPresenceHeartbeat, async ({ actor, body }) => ({
    success: true as const,
    ...(await svc.heartbeat(actor, body ?? {})),
  }));
}
