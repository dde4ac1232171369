import {
  type CopilotRewrite,
  type CopilotSuggest,
  CopilotSuggestionSchema,
  CopilotTextSchema,
  type CopilotTranslate,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';

const base = (conversationId: string) => `/api/v1/support/${conversationId}/copilot`;

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
    call('POST', `${base(conversationId)}/suggest`, CopilotSuggestionSchema, { body }),
  /** The text shorter, friendlier or with its grammar fixed. */
  rewrite: (conversationId: string, body: CopilotRewrite) =>
    call('POST', `${base(conversationId)}/rewrite`, CopilotTextSchema, { body }),
  /** The text in another language (a name or a BCP 47 tag). */
  translate: (conversationId: string, body: CopilotTranslate) =>
    call('POST', `${base(conversationId)}/translate`, CopilotTextSchema, { body }),
  /** A few lines on the conversation for a colleague taking it over. */
  summary: (conversationId: string) => call('POST', `${base(conversationId)}/summary`, CopilotTextSchema),
});
