import { dashboardRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import { summaryCsv, timeseriesCsv } from './dashboard.csv.js';
import type { DashboardService } from './dashboard.service.js';

/**
 * With `format=csv` the route answers a CSV file: a string body with a non-JSON type goes out as is (the
 * JSON response schema does not apply), hence the cast to the route's reply type.
 */
const csv = (reply: FastifyReply, name: string, body: string): never => {
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
  return body as never;
};

/** The supervisor dashboard: KPIs and time series over a period, JSON or CSV; supervisors and admins only. */
export async function dashboardRoutes(app: FastifyInstance, dashboard: DashboardService) {
  registerRoute(app, routes.dashboardSummary, async ({ actor, query, reply }) => {
    const summary = await dashboard.summary(actor, query);
    return query.format === 'csv' ? csv(reply, 'dashboard-summary', summaryCsv(summary)) : summary;
  });
  registerRoute(app, routes.dashboardTimeseries, async ({ actor, query, reply }) => {
    const series = await dashboard.timeseries(actor, query);
    return query.format === 'csv' ? csv(reply, `dashboard-${series.metric}`, timeseriesCsv(series)) : series;
  });
}
