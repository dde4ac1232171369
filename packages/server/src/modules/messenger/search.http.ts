import { supportRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { MessageSearch } from './search.js';

/** `GET /api/v1/search`: any signed-in user in their own conversations; staff also in the org's support ones. */
export async function searchRoutes(app: FastifyInstance, search: MessageSearch) {
  registerRoute(app, routes.search, async ({ actor, query }) => ({ items: await search.search(actor, query) }));
}
