import { presenceRouteDefs as routes } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * Presence without a socket: who in my org is not offline, one user's presence, and a heartbeat that keeps
 * this session present.
 *
 * @example
 * ```ts
 * const { nextHeartbeatMs } = await client.api.presence.heartbeat(true);
 * const { items } = await client.api.presence.list({ limit: 50 });
 * ```
 */
export const presenceApi = (call: RestCall) => ({
  list: (query: { limit?: number; cursor?: string } = {}) => callRoute(call, routes.onlineStatus, { query }),
  get: (userId: string) => callRoute(call, routes.userPresence, { params: { userId } }),
  heartbeat: (active?: boolean) =>
    callRoute(call, routes.presenceHeartbeat, { body: active === undefined ? {} : { active } }),
});
