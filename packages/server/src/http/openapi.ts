import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { errorCatalogue } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

const errorTable = Object.entries(errorCatalogue)
  .map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.title} |`)
  .join('\n');

/** OpenAPI 3 generated from the routes' zod schemas: JSON at /api/docs/json, a browsable page at /api/docs. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard API',
        version,
        description: [
          'Every failed call answers `application/problem+json` (RFC 9457) with a machine-readable `code`:',
          '',
          '| code | HTTP status | meaning |',
          '| --- | --- | --- |',
          errorTable,
        ].join('\n'),
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
}
