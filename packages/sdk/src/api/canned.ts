import {
  CannedResponseListSchema,
  CannedResponseSchema,
  type CreateCannedResponse,
  type UpdateCannedResponse,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';

/**
 * Canned responses (staff): the team's and my own. Fill a response's variables with `fillCannedResponse`
 * from `@switchboard/protocol` before sending it.
 *
 * @example
 * ```ts
 * const items = await client.api.canned.list();
 * await client.api.canned.create({ scope: 'personal', shortcut: 'thanks', title: 'Thanks', text: 'Thank you, {{customer.name}}!' });
 * ```
 */
export const cannedApi = (call: RestCall) => ({
  list: async () => (await call('GET', '/api/v1/canned-responses', CannedResponseListSchema)).items,
  create: (input: CreateCannedResponse) =>
    call('POST', '/api/v1/canned-responses', CannedResponseSchema, { body: input }),
  update: (id: string, patch: UpdateCannedResponse) =>
    call('PATCH', `/api/v1/canned-responses/${id}`, CannedResponseSchema, { body: patch }),
  remove: async (id: string): Promise<void> => {
    await call('DELETE', `/api/v1/canned-responses/${id}`, null);
  },
});
