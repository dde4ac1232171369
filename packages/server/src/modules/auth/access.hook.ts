import type { FastifyInstance, RouteOptions } from 'fastify';
import { AppError } from '../../errors.js';
import type { Access } from '../../http/access.js';
import type { Platform } from '../../platform/platform.js';
import { authenticate, bearerToken } from './authenticate.js';

/** One row of the route table as the access matrix test reads it. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access, in registration order (HEAD twins of GET routes left out). */
    routeAccess: RouteAccess[];
  }
}

/** Routes of third-party plugins that cannot declare access themselves; each is public by nature. */
function pluginAccess(route: RouteOptions): Access | undefined {
  if (route.url === '/api/docs' || route.url.startsWith('/api/docs/')) return 'public';
  // @fastify/cors answers preflights on a catch-all OPTIONS route.
  if (route.method === 'OPTIONS' && route.url === '*') return 'public';
  return undefined;
}

/**
 * Install authentication and authorization for every route of the app: a route that declares no
 * `config.access` is refused at registration (the app does not build), and each request is checked
 * against its route's rule before its body is even parsed:
 * - no or malformed bearer token on a non-public route → 401 `unauthenticated`
 * - bad, expired or revoked token → 401 `token_invalid` / `token_expired` / `session_revoked`
 * - role not in the route's list → 403 `forbidden`
 * Call it before any route or plugin is registered.
 */
export function installAccessControl(app: FastifyInstance, platform: Platform): void {
  const table: RouteAccess[] = [];
  app.decorate('routeAccess', table);

  app.addHook('onRoute', (route) => {
    const declared = route.config?.access ?? pluginAccess(route);
    const methods = ([] as string[]).concat(route.method);
    if (!declared) {
      throw new Error(
        `route ${methods.join(',')} ${route.url} declares no config.access ('public', 'authenticated' or a role list)`,
      );
    }
    route.config = { ...route.config, access: declared };
    for (const method of methods) {
      if (method === 'HEAD' && route.exposeHeadRoute === undefined && table.some((r) => r.url === route.url)) continue;
      table.push({ method, url: route.url, access: declared });
    }
  });

  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    const token = bearerToken(request.headers.authorization);
    if (access === 'public') {
      // A public route may still want to know who calls; a bad token there is simply ignored.
      if (token)
        request.actor = await authenticate(platform, token).then(
          (v) => v.actor,
          () => null,
        );
      return;
    }
    if (!access) throw new AppError('forbidden', 'This route declares no access rule');
    if (!token) throw new AppError('unauthenticated');
    const { actor } = await authenticate(platform, token);
    request.actor = actor;
    if (access !== 'authenticated' && !access.includes(actor.role)) throw new AppError('forbidden');
  });
}
