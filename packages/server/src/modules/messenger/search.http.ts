import { ProblemSchema, SearchQuerySchema, SearchResultSchema } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { MessageSearch } from './search.js';

/** `GET /api/v1/search`: any signed-in user in their own conversations; staff also in the org's support ones. */
export async function searchRoutes(app: FastifyInstance, search: MessageSearch) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/search',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['messages'],
        summary: 'Full-text search over messages: my conversations, or (staff) the support conversations',
        security,
        querystring: SearchQuerySchema,
        response: { 200: SearchResultSchema, 400: ProblemSchema, ...denied },
      },
    },
    async (req) => ({ items: await search.search(actorOf(req), req.query) }),
  );
}
