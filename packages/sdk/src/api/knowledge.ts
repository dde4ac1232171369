import {
  ArticleListSchema,
  ArticleSchema,
  type CreateArticle,
  type ImportArticles,
  ImportResultSchema,
  type UpdateArticle,
} from '@switchboard/protocol';
import { z } from 'zod';
import type { RestCall } from '../rest.js';

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
  list: () => call('GET', '/api/v1/kb/articles', ArticleListSchema),
  get: (id: string) => call('GET', `/api/v1/kb/articles/${id}`, ArticleSchema),
  create: (body: CreateArticle) => call('POST', '/api/v1/kb/articles', ArticleSchema, { body }),
  /** Change some fields; `{ published: true }` publishes, `false` takes it out of the assistant's reach. */
  update: (id: string, body: UpdateArticle) => call('PATCH', `/api/v1/kb/articles/${id}`, ArticleSchema, { body }),
  remove: (id: string) => call('DELETE', `/api/v1/kb/articles/${id}`, z.null()),
  /** Bulk import (up to 5,000); an `externalId` seen before updates that article instead of adding one. */
  import: (body: ImportArticles) => call('POST', '/api/v1/kb/import', ImportResultSchema, { body }),
});
