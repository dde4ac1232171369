import type { ServerModule } from '../../server-module.js';
import { dashboardRoutes } from './dashboard.http.js';
import { dashboardService } from './dashboard.service.js';

/**
 * The supervisor dashboard (issue 11): its recorder (built and connected to stored messages and
 * contact-center outcomes in services.ts) keeps the KPI rollup; this serves summaries and time series, and the
 * live part pushes `dashboard.updated` to supervisors and admins.
 */
export const dashboardModule: ServerModule = {
  name: 'dashboard',
  http: (app, { platform, services }) => dashboardRoutes(app, dashboardService(platform, services.presence)),
};
