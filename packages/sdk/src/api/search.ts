import { type SearchQuery, supportRouteDefs } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * Full-text search over messages: my conversations, or (staff) `scope: 'support'` for the org's support
 * conversations, also found by their customer's name or email. Matches are wrapped in `[` `]` in each
 * hit's snippet.
 *
 * @example
 * ```ts
 * const { items } = await client.api.search({ q: 'invoice', scope: 'support' });
 * ```
 */
export const searchApi = (call: RestCall) => (query: SearchQuery) =>
  callRoute(call, supportRouteDefs.search, { query });
