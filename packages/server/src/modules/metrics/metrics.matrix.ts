import type { RouteCase } from '../../test/matrix.js';

/**
 * /metrics is guarded by its own rule (METRICS_TOKEN, else loopback only), not by user sessions: every
 * caller on loopback gets the series, which carry no org's ids.
 */
export const matrixCases: RouteCase[] = [{ route: 'GET /metrics' }];
