import { authRouteDefs as defs } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { ModuleContext } from '../../server-module.js';
import { authService } from './auth.service.js';

/** Sign-in, refresh, invites and widget sessions (public; the client's address keys their throttles), and my session. */
export async function authRoutes(app: FastifyInstance, { platform }: ModuleContext) {
  const auth = authService(platform);

  registerRoute(app, defs.login, async ({ body, request }) => auth.login(body, request.ip));
  registerRoute(app, defs.refresh, async ({ body }) => auth.refresh(body.refreshToken));
  registerRoute(app, defs.logout, async ({ actor }) => {
    await auth.logout(actor);
    return undefined;
  });
  registerRoute(app, defs.me, async ({ actor }) => auth.me(actor));
  registerRoute(app, defs.changePassword, async ({ actor, body }) => auth.changePassword(actor, body));
  registerRoute(app, defs.acceptInvite, async ({ body }) => auth.acceptInvite(body));
  registerRoute(app, defs.widgetSession, async ({ body, request }) => auth.widgetSession(body, request.ip));
}
