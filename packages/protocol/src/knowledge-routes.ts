import { SUPERVISOR_ROLES } from './common.js';
import {
  ArticleIdParamsSchema,
  ArticleListSchema,
  ArticleSchema,
  CreateArticleSchema,
  ImportArticlesSchema,
  ImportResultSchema,
  UpdateArticleSchema,
} from './contact-center.js';
import { defineRoute } from './routes.js';

const tags = ['knowledge'] as const;
const access = SUPERVISOR_ROLES;

/**
 * The knowledge base's articles, defined once for the server and the SDK (see `defineRoute`): supervisors
 * and admins manage them, within their org.
 */
export const knowledgeRouteDefs = {
  listArticles: defineRoute({
    method: 'GET',
    path: '/api/v1/kb/articles',
    summary: 'List the articles',
    tags,
    access,
    status: 200,
    response: ArticleListSchema,
  }),
  createArticle: defineRoute({
    method: 'POST',
    path: '/api/v1/kb/articles',
    summary: 'Create an article',
    tags,
    access,
    body: CreateArticleSchema,
    status: 201,
    response: ArticleSchema,
  }),
  importArticles: defineRoute({
    method: 'POST',
    path: '/api/v1/kb/import',
    summary: 'Import a JSON list of articles (an externalId seen before updates that article)',
    tags,
    access,
    body: ImportArticlesSchema,
    status: 200,
    response: ImportResultSchema,
  }),
  getArticle: defineRoute({
    method: 'GET',
    path: '/api/v1/kb/articles/:id',
    summary: 'One article',
    tags,
    access,
    params: ArticleIdParamsSchema,
    status: 200,
    response: ArticleSchema,
    errors: [404],
  }),
  updateArticle: defineRoute({
    method: 'PATCH',
    path: '/api/v1/kb/articles/:id',
    summary: 'Change an article',
    tags,
    access,
    params: ArticleIdParamsSchema,
    body: UpdateArticleSchema,
    status: 200,
    response: ArticleSchema,
    errors: [404],
  }),
  deleteArticle: defineRoute({
    method: 'DELETE',
    path: '/api/v1/kb/articles/:id',
    summary: 'Delete an article',
    tags,
    access,
    params: ArticleIdParamsSchema,
    status: 204,
    response: null,
    errors: [404],
  }),
};
