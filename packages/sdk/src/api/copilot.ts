import {
  type CopilotRewrite,
  type CopilotSuggest,
  type CopilotTranslate,
  assistantRouteDefs as routes,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * The agent copilot on a support conversation (`/api/v1/support/:id/copilot/…`, staff only, any status):
 * a reply suggested from the knowledge base with its sources, and — when the server has an LLM — rewrite,
 * translate and summary. Without an LLM those three reject with a `SwitchboardError` of code `llm_not_configured`
 * (501); an LLM that failed after its retries gives `llm_failed` (502). Nothing is sent to the customer.
 *
 * @example
 * ```ts
 * const s = await client.api.copilot.suggest(conversationId);
 * if (!s.noAnswer) {
 *   const { text } = await client.api.copilot.rewrite(conversationId, { text: s.text, style: 'friendlier' });
 *   client.send(conversationId, text);
 * }
 * ```
 */
export const copilotApi = (call: RestCall) => ({
  /** A reply to the customer's latest message (or to `question`); `noAnswer` under the floor (empty `text`). */
  suggest: (conversationId: string, body: CopilotSuggest = {}) =>
    callRoute(call, routes.copilotSuggest, { params: { conversationId }, body }),
  /** The text shorter, friendlier or with its grammar fixed. */
  rewrite: (conversationId: string, body: CopilotRewrite) =>
    callRoute(call, routes.copilotRewrite, { params: { conversationId }, body }),
  /** The text in another language (a name or a BCP 47 tag). */
  translate: (conversationId: string, body: CopilotTranslate) =>
    callRoute(call, routes.copilotTranslate, { params: { conversationId }, body }),
  /** A few lines on the conversation for a colleague taking it over. */
  summary: (conversationId: string) => callRoute(call, routes.copilotSummary, { params: { conversationId } }),
});
