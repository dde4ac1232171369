import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { ConversationKindSchema } from './conversations.js';

/**
 * `GET /api/v1/search`: full-text search over message texts. `scope: 'messenger'` searches the conversations
 * I am a member of (support ones left out); `scope: 'support'` (staff only) searches my org's support
 * conversations, whoever is in them, and also finds them by the customer: every word in the customer's name or
 * the email staff see (`match: 'customer'`, pointing at the conversation's latest message). Words match as
 * prefixes in messages, anywhere in names and emails; all of them must appear; deleted messages are never found.
 *
 * @example
 * ```ts
 * const { items } = await client.api.search({ q: 'invoice march', scope: 'support' });
 * ```
 */
export const SearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(200),
  scope: z.enum(['messenger', 'support']).default('messenger'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchQuery = z.input<typeof SearchQuerySchema>;

/**
 * One message found, with the conversation it is in and a snippet with the matches between `[` and `]`.
 * `match: 'customer'`: the conversation was found by its customer; the snippet is their name and email, and
 * the message is the conversation's latest.
 */
export const SearchHitSchema = z.object({
  match: z.enum(['message', 'customer']),
  conversationId: IdSchema,
  conversationKind: ConversationKindSchema,
  conversationName: z.string().nullable(),
  messageId: IdSchema,
  seq: z.number().int(),
  senderId: IdSchema,
  snippet: z.string(),
  createdAt: TimestampSchema,
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const SearchResultSchema = z.object({ items: z.array(SearchHitSchema) });
export type SearchResult = z.infer<typeof SearchResultSchema>;
