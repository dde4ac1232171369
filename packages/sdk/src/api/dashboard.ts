import {
  type DashboardFilter,
  type DashboardTimeseriesQuery,
  dashboardRouteDefs as routes,
} from '@switchboard/protocol';
import { authedFetch, type BinaryAccess } from '../authed-fetch.js';
import { queryString } from '../http.js';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/** The filters without `format` (each call sets its own: JSON from the route table, CSV as a file). */
const query = <F extends DashboardFilter | DashboardTimeseriesQuery>(f: F): Omit<F, 'format'> => {
  const { format: _format, ...rest } = f;
  return rest;
};

/**
 * The supervisor dashboard (`/api/v1/dashboard/…`, supervisors and admins): KPIs of a period with the change
 * against the period before it, and one metric as a time series. Pair it with the `dashboard.updated` client
 * event to refetch when a KPI changed.
 *
 * @example
 * ```ts
 * const s = await client.api.dashboard.summary({ period: '7d', channel: 'widget' });
 * console.log(s.kpis.escalations, s.previous.escalations);
 * const ts = await client.api.dashboard.timeseries({ metric: 'escalations', interval: 'day', period: '30d' });
 * client.subscribe((e) => { if (e.type === 'dashboard.updated') refetch(); });
 * const csv = await client.api.dashboard.summaryCsv({ period: '30d' }); // the same KPIs as a CSV file's text
 * ```
 */
export const dashboardApi = (call: RestCall, access: BinaryAccess) => ({
  summary: (filter: DashboardFilter = {}) => callRoute(call, routes.dashboardSummary, { query: query(filter) }),
  timeseries: (q: DashboardTimeseriesQuery) => callRoute(call, routes.dashboardTimeseries, { query: query(q) }),
  // The CSV downloads stay hand-written: a text file, not the route's JSON response.
  /** The summary as CSV text (one row per KPI, with the previous period's value). */
  summaryCsv: async (filter: DashboardFilter = {}) => {
    const path = `${routes.dashboardSummary.path}${queryString({ ...query(filter), format: 'csv' })}`;
    return (await authedFetch(access, 'GET', path, {})).text();
  },
  /** One metric's time series as CSV text (one row per bucket). */
  timeseriesCsv: async (q: DashboardTimeseriesQuery) => {
    const path = `${routes.dashboardTimeseries.path}${queryString({ ...query(q), format: 'csv' })}`;
    return (await authedFetch(access, 'GET', path, {})).text();
  },
});
