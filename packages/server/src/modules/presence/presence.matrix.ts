import type { EventCase, RouteCase } from '../../test/matrix.js';

/**
 * Presence is open to every signed-in caller except the stats (staff). Org B's admin sees only org B:
 * lists answer 200 without org A's ids, and org A's agent is a 404.
 */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/online-status' },
  { route: 'GET /api/v1/online-status/stats/summary' },
  {
    route: 'GET /api/v1/online-status/:userId',
    request: (ctx) => ({ url: `/api/v1/online-status/${ctx.a.users.agent.id}` }),
    otherOrg: 404,
  },
  { route: 'POST /api/v1/online-status/heartbeat', request: () => ({ payload: {} }) },
  // The document's aliases: the same access as the v1 routes above.
  { route: 'GET /api/online-status' },
  { route: 'GET /api/online-status/stats/summary' },
  {
    route: 'GET /api/online-status/:userId',
    request: (ctx) => ({ url: `/api/online-status/${ctx.a.users.agent.id}` }),
    otherOrg: 404,
  },
  { route: 'POST /api/online-status/heartbeat', request: () => ({ payload: {} }) },
];

export const matrixEvents: EventCase[] = [
  { event: 'status:update', access: 'authenticated', payload: () => ({ status: 'online' }) },
  { event: 'online:list', access: 'authenticated', payload: () => undefined },
  {
    event: 'status:query',
    access: 'authenticated',
    payload: (ctx) => ({ targetUserId: ctx.a.users.agent.id }),
    otherOrg: 'not_found',
  },
  { event: 'heartbeat', access: 'authenticated', payload: () => ({ active: true }) },
];
