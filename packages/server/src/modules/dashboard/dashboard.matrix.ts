import type { RouteCase } from '../../test/matrix.js';

/** Supervisors and admins only; org B's admin gets its own (empty) org's numbers. */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/dashboard/summary', request: () => ({ url: '/api/v1/dashboard/summary?period=30d' }) },
  {
    route: 'GET /api/v1/dashboard/timeseries',
    request: () => ({ url: '/api/v1/dashboard/timeseries?metric=escalations&interval=day&period=7d' }),
  },
];
