import {
  type CreateArticle,
  type ImportArticles,
  knowledgeRouteDefs as routes,
  type UpdateArticle,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * The org's knowledge base (`/api/v1/kb/…`, supervisors and admins): the articles the assistant answers from.
 * Only published articles are used by the assistant.
 *
 * @example
 * ```ts
 * const a = await client.api.knowledge.create({ title: 'Reset a password', body: 'Open **Settings**…', published: false });
 * await client.api.knowledge.update(a.id, { published: true });
 * const { created, updated } = await client.api.knowledge.import({ articles: [{ title: 'FAQ', body: '…', externalId: 'faq-1' }] });
 * ```
 */
export const knowledgeApi = (call: RestCall) => ({
  list: () => callRoute(call, routes.listArticles),
  get: (id: string) => callRoute(call, routes.getArticle, { params: { id } }),
  create: (body: CreateArticle) => callRoute(call, routes.createArticle, { body }),
  /** Change some fields; `{ published: true }` publishes, `false` takes it out of the assistant's reach. */
  update: (id: string, body: UpdateArticle) => callRoute(call, routes.updateArticle, { params: { id }, body }),
  remove: async (id: string): Promise<null> => {
    await callRoute(call, routes.deleteArticle, { params: { id } });
    return null;
  },
  /** Bulk import (up to 5,000); an `externalId` seen before updates that article instead of adding one. */
  import: (body: ImportArticles) => callRoute(call, routes.importArticles, { body }),
});
