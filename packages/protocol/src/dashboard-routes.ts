import { SUPERVISOR_ROLES } from './common.js';
import {
  DashboardFilterSchema,
  DashboardSummarySchema,
  DashboardTimeseriesQuerySchema,
  DashboardTimeseriesSchema,
} from './dashboard.js';
import { defineRoute } from './routes.js';

const tags = ['dashboard'] as const;
/** The JSON answer is the route's response; `format=csv` answers the same figures as a file instead. */
const csv = 'With `format=csv`: the same figures as a `text/csv` attachment instead of JSON.';

/**
 * The supervisor dashboard, defined once for the server and the SDK (see `defineRoute`): KPIs and time
 * series over a period, supervisors and admins only.
 */
export const dashboardRouteDefs = {
  dashboardSummary: defineRoute({
    method: 'GET',
    path: '/api/v1/dashboard/summary',
    summary: 'KPIs of a period and of the one before it, escalations by reason, agents (format=csv: a CSV file)',
    description: csv,
    tags,
    access: SUPERVISOR_ROLES,
    query: DashboardFilterSchema,
    status: 200,
    response: DashboardSummarySchema,
    errors: [400],
  }),
  dashboardTimeseries: defineRoute({
    method: 'GET',
    path: '/api/v1/dashboard/timeseries',
    summary: 'One metric per hour, day or week of a period, at most 2,000 points (format=csv: a CSV file)',
    description: csv,
    tags,
    access: SUPERVISOR_ROLES,
    query: DashboardTimeseriesQuerySchema,
    status: 200,
    response: DashboardTimeseriesSchema,
    errors: [400],
  }),
};
