import type { RouteCase } from '../../test/matrix.js';

const settings = {
  timezone: 'UTC',
  hoursEnabled: false,
  hours: [],
  awayMessage: 'Away',
  prechatName: false,
  prechatEmail: false,
};

/** Settings are per org: org B's admin reads and writes org B's. The public part is for every session. */
export const matrixCases: RouteCase[] = [
  { route: 'GET /api/v1/support/hours' },
  { route: 'GET /api/v1/support/hours/settings' },
  { route: 'PUT /api/v1/support/hours/settings', request: () => ({ payload: settings }) },
  { route: 'PUT /api/v1/support/contact', request: () => ({ payload: { email: 'me@example.com' } }) },
];
