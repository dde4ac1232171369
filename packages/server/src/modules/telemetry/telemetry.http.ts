import { ClientTelemetryAcceptedSchema, ClientTelemetryBatchSchema, ProblemSchema } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/access.js';
import type { TelemetryService } from './telemetry.service.js';

/** `POST /api/v1/telemetry`: thin — validate, hand the batch to the service. */
export async function telemetryRoutes(app: FastifyInstance, svc: TelemetryService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/telemetry',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['telemetry'],
        security: [{ bearer: [] }],
        summary: 'Report client SDK counters (fallbacks, reconnects, send timeouts)',
        description:
          'Counts since the previous report, added to the Prometheus series `client_telemetry_events_total{event}`. ' +
          'At most 20 reports per session per minute (`rate_limited` beyond).',
        body: ClientTelemetryBatchSchema,
        response: {
          202: ClientTelemetryAcceptedSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async (req, reply) => reply.status(202).send(await svc.report(actorOf(req), req.body)),
  );
}
