import { z } from 'zod';

/**
 * Ask the copilot for a reply to a support conversation. Without `question` it answers the customer's
 * latest message.
 *
 * @example
 * ```json
 * { "question": "How do I reset my password?" }
 * ```
 */
export const CopilotSuggestSchema = z.object({ question: z.string().min(1).max(4000).optional() });
export type CopilotSuggest = z.infer<typeof CopilotSuggestSchema>;

/**
 * A suggested reply from the knowledge base, for the agent to use, change or ignore; never sent by itself.
 * `noAnswer`: the confidence is under the floor, `text` is empty and `sources` are only the closest articles.
 *
 * @example
 * ```json
 * {
 *   "question": "How do I reset my password?",
 *   "text": "Open your profile menu and choose Change password.",
 *   "confidence": 0.91,
 *   "noAnswer": false,
 *   "responder": "builtin",
 *   "sources": [{ "articleId": "help-reset-password", "title": "How do I reset or change my password?", "passage": "…" }]
 * }
 * ```
 */
export const CopilotSuggestionSchema = z.object({
  question: z.string(),
  text: z.string(),
  confidence: z.number(),
  noAnswer: z.boolean(),
  responder: z.enum(['builtin', 'llm']),
  sources: z.array(z.object({ articleId: z.string(), title: z.string(), passage: z.string() })),
});
export type CopilotSuggestion = z.infer<typeof CopilotSuggestionSchema>;

/** How to rewrite an agent's text. */
export const RewriteStyleSchema = z.enum(['shorter', 'friendlier', 'grammar']);
export type RewriteStyle = z.infer<typeof RewriteStyleSchema>;

/**
 * Rewrite a reply before sending it (needs an LLM).
 *
 * @example
 * ```json
 * { "text": "pls reset ur password in settings", "style": "grammar" }
 * ```
 */
export const CopilotRewriteSchema = z.object({ text: z.string().min(1).max(8000), style: RewriteStyleSchema });
export type CopilotRewrite = z.infer<typeof CopilotRewriteSchema>;

/**
 * Translate a text (needs an LLM). `language`: a name or a BCP 47 tag.
 *
 * @example
 * ```json
 * { "text": "Your refund is on its way.", "language": "de" }
 * ```
 */
export const CopilotTranslateSchema = z.object({
  text: z.string().min(1).max(8000),
  language: z.string().min(2).max(40),
});
export type CopilotTranslate = z.infer<typeof CopilotTranslateSchema>;

/**
 * The text a copilot call produced (rewrite, translation or summary of the conversation).
 *
 * @example
 * ```json
 * { "text": "Please reset your password in Settings.", "model": "gpt-4o-mini" }
 * ```
 */
export const CopilotTextSchema = z.object({ text: z.string(), model: z.string() });
export type CopilotText = z.infer<typeof CopilotTextSchema>;
