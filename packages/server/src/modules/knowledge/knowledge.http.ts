import { knowledgeRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { registerRoute } from '../../http/define-route.js';
import type { ModuleContext, ServerModule } from '../../server-module.js';
import { EMBED_TASK } from './embeddings.js';
import { knowledgeService } from './knowledge.service.js';

/** Knowledge-base articles: supervisors and admins manage them, within their org. */
async function knowledgeRoutes(app: FastifyInstance, { platform }: ModuleContext) {
  const kb = knowledgeService(platform);
  registerRoute(app, routes.listArticles, async ({ actor }) => ({ items: await kb.list(actor) }));
  registerRoute(app, routes.createArticle, async ({ actor, body }) => kb.create(actor, body));
  registerRoute(app, routes.importArticles, async ({ actor, body }) => kb.import(actor.orgId, actor.userId, body));
  registerRoute(app, routes.getArticle, async ({ actor, params }) => kb.get(actor, params.id));
  registerRoute(app, routes.updateArticle, async ({ actor, params, body }) => kb.update(actor, params.id, body));
  registerRoute(app, routes.deleteArticle, async ({ actor, params }) => {
    await kb.remove(actor, params.id);
    return undefined;
  });
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
