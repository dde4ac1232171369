import type { RouteCase } from '../../test/matrix.js';

/** Only the caller's own org is reachable: org B's admin gets org B, never org A (checked on every answer). */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/orgs/current' },
  { route: 'PATCH /api/v1/orgs/current', request: (_ctx, caller) => ({ payload: { name: `Renamed by ${caller}` } }) },
  { route: 'GET /api/v1/orgs/current/widget' },
  { route: 'POST /api/v1/orgs/current/widget/rotate-secret' },
];
