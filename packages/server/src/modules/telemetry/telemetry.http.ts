import { messengerRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { TelemetryService } from './telemetry.service.js';

/** `POST /api/v1/telemetry`: thin — validate, hand the batch to the service. */
export async function telemetryRoutes(app: FastifyInstance, svc: TelemetryService) {
  registerRoute(app, routes.reportTelemetry, async ({ actor, body }) => svc.report(actor, body));
}
