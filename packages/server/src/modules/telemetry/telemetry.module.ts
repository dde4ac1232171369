import type { ServerModule } from '../../server-module.js';
import { telemetryRoutes } from './telemetry.http.js';
import { telemetryService } from './telemetry.service.js';

/** Client SDK telemetry (issue 6): counters reported by clients, exposed as Prometheus metrics. */
export const telemetryModule: ServerModule = {
  name: 'telemetry',
  http: (app, { platform }) => telemetryRoutes(app, telemetryService(platform)),
};
