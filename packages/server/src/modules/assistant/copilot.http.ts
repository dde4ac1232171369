import {
  CopilotRewriteSchema,
  CopilotSuggestionSchema,
  CopilotSuggestSchema,
  CopilotTextSchema,
  CopilotTranslateSchema,
  HandoffParamsSchema,
  ProblemSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, STAFF } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { CopilotService } from './copilot.js';

const tags = ['contact center'];
const params = HandoffParamsSchema;
/** Without an LLM: 501 `llm_not_configured`; the LLM failing after retries: 502 `llm_failed`. */
const llmErrors = { ...denied, 404: ProblemSchema, 501: ProblemSchema, 502: ProblemSchema };

/** The agent copilot (staff only, on any of the org's support conversations, whatever its status). */
export async function copilotRoutes(app: FastifyInstance, copilot: CopilotService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/support/:conversationId/copilot/suggest',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: "Suggest a reply from the knowledge base to the customer's latest message (or to `question`)",
        security,
        params,
        body: CopilotSuggestSchema,
        response: { 200: CopilotSuggestionSchema, ...denied, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => copilot.suggest(actorOf(req), req.params.conversationId, req.body ?? {}),
  );
  r.post(
    '/api/v1/support/:conversationId/copilot/rewrite',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Rewrite a reply shorter, friendlier or with grammar fixed (needs an LLM)',
        security,
        params,
        body: CopilotRewriteSchema,
        response: { 200: CopilotTextSchema, ...llmErrors },
      },
    },
    async (req) => copilot.rewrite(actorOf(req), req.params.conversationId, req.body),
  );
  r.post(
    '/api/v1/support/:conversationId/copilot/translate',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Translate a text into another language (needs an LLM)',
        security,
        params,
        body: CopilotTranslateSchema,
        response: { 200: CopilotTextSchema, ...llmErrors },
      },
    },
    async (req) => copilot.translate(actorOf(req), req.params.conversationId, req.body),
  );
  r.post(
    '/api/v1/support/:conversationId/copilot/summary',
    {
      config: { access: STAFF },
      schema: {
        tags,
        summary: 'Summarise the conversation for a colleague taking it over (needs an LLM)',
        security,
        params,
        response: { 200: CopilotTextSchema, ...llmErrors, 409: ProblemSchema },
      },
    },
    async (req) => copilot.summarise(actorOf(req), req.params.conversationId),
  );
}
