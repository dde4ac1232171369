import type { RouteCase } from '../../test/matrix.js';

/** Any signed-in caller may report counts for their own session (the answer holds no ids). */
export const matrixCases: RouteCase[] = [
  { route: 'POST /api/v1/telemetry', request: () => ({ payload: { counts: { reconnect_attempt: 1 } } }), ok: 202 },
];
