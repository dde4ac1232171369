import {
  DashboardFilterSchema,
  DashboardSummarySchema,
  DashboardTimeseriesQuerySchema,
  DashboardTimeseriesSchema,
  ProblemSchema,
} from '@switchboard/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, SUPERVISORS } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import { summaryCsv, timeseriesCsv } from './dashboard.csv.js';
import type { DashboardService } from './dashboard.service.js';

const tags = ['dashboard'];
const config = { access: SUPERVISORS };

/** A string body with a non-JSON type goes out as is (the JSON response schema does not apply). */
const csv = (reply: FastifyReply, name: string, body: string) =>
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(body);

/** The supervisor dashboard: KPIs and time series over a period, JSON or CSV; supervisors and admins only. */
export async function dashboardRoutes(app: FastifyInstance, dashboard: DashboardService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/dashboard/summary',
    {
      config,
      schema: {
        tags,
        summary: 'KPIs of a period and of the one before it, escalations by reason, agents (format=csv: a CSV file)',
        security,
        querystring: DashboardFilterSchema,
        response: { 200: DashboardSummarySchema.or(z.string()), 400: ProblemSchema, ...denied },
      },
    },
    async (req, reply) => {
      const summary = await dashboard.summary(actorOf(req), req.query);
      if (req.query.format === 'csv') return csv(reply, 'dashboard-summary', summaryCsv(summary));
      return summary;
    },
  );
  r.get(
    '/api/v1/dashboard/timeseries',
    {
      config,
      schema: {
        tags,
        summary: 'One metric per hour, day or week of a period, at most 2,000 points (format=csv: a CSV file)',
        security,
        querystring: DashboardTimeseriesQuerySchema,
        response: { 200: DashboardTimeseriesSchema.or(z.string()), 400: ProblemSchema, ...denied },
      },
    },
    async (req, reply) => {
      const series = await dashboard.timeseries(actorOf(req), req.query);
      if (req.query.format === 'csv') return csv(reply, `dashboard-${series.metric}`, timeseriesCsv(series));
      return series;
    },
  );
}
