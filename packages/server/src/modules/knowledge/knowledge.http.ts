import {
  ArticleIdParamsSchema,
  ArticleListSchema,
  ArticleSchema,
  CreateArticleSchema,
  ImportArticlesSchema,
  ImportResultSchema,
  ProblemSchema,
  UpdateArticleSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, SUPERVISORS } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { ModuleContext, ServerModule } from '../../server-module.js';
import { EMBED_TASK } from './embeddings.js';
import { knowledgeService } from './knowledge.service.js';

const tags = ['knowledge'];
const config = { access: SUPERVISORS };

/** Knowledge-base articles: supervisors and admins manage them, within their org. */
async function knowledgeRoutes(app: FastifyInstance, { platform }: ModuleContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const kb = knowledgeService(platform);

  r.get(
    '/api/v1/kb/articles',
    {
      config,
      schema: { tags, summary: 'List the articles', security, response: { 200: ArticleListSchema, ...denied } },
    },
    async (req) => ({ items: await kb.list(actorOf(req)) }),
  );
  r.post(
    '/api/v1/kb/articles',
    {
      config,
      schema: {
        tags,
        summary: 'Create an article',
        security,
        body: CreateArticleSchema,
        response: { 201: ArticleSchema, ...denied },
      },
    },
    async (req, reply) => reply.status(201).send(await kb.create(actorOf(req), req.body)),
  );
  r.post(
    '/api/v1/kb/import',
    {
      config,
      schema: {
        tags,
        summary: 'Import a JSON list of articles (an externalId seen before updates that article)',
        security,
        body: ImportArticlesSchema,
        response: { 200: ImportResultSchema, ...denied },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return kb.import(actor.orgId, actor.userId, req.body);
    },
  );
  r.get(
    '/api/v1/kb/articles/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One article',
        security,
        params: ArticleIdParamsSchema,
        response: { 200: ArticleSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => kb.get(actorOf(req), req.params.id),
  );
  r.patch(
    '/api/v1/kb/articles/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change an article',
        security,
        params: ArticleIdParamsSchema,
        body: UpdateArticleSchema,
        response: { 200: ArticleSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => kb.update(actorOf(req), req.params.id, req.body),
  );
  r.delete(
    '/api/v1/kb/articles/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete an article',
        security,
        params: ArticleIdParamsSchema,
        response: { 204: z.null(), ...denied, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      await kb.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}

/** Hybrid retrieval: the task that embeds a changed article's passages (registered with a model only). */
function registerEmbedTask({ platform }: ModuleContext) {
  if (!platform.config.ai.embedding || platform.jobs.handles(EMBED_TASK)) return;
  const kb = knowledgeService(platform);
  platform.jobs.register({
    type: EMBED_TASK,
    schema: z.object({ orgId: z.string(), articleId: z.string() }),
    maxAttempts: 5,
    timeoutMs: 120_000,
    description: 'Embed the changed passages of a knowledge-base article for hybrid retrieval',
    handler: (p) => kb.embedArticle(p.orgId, p.articleId),
  });
}

export const knowledgeModule: ServerModule = {
  name: 'knowledge',
  async http(app, ctx) {
    registerEmbedTask(ctx);
    await knowledgeRoutes(app, ctx);
  },
};
