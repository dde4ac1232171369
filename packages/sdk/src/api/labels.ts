import { type CreateLabel, LabelListSchema, LabelSchema } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';

/**
 * The org's labels for support conversations: staff read them; supervisors and admins add and delete them.
 * Put them on conversations with `client.api.support.addLabel`, filter the inbox with `inbox({ label })`.
 *
 * @example
 * ```ts
 * const billing = await client.api.labels.create({ name: 'billing', color: 'orange' });
 * await client.api.support.addLabel(conversationId, billing.id);
 * const { items } = await client.api.support.inbox({ label: billing.id });
 * ```
 */
export const labelsApi = (call: RestCall) => ({
  list: async () => (await call('GET', '/api/v1/labels', LabelListSchema)).items,
  create: (input: CreateLabel) => call('POST', '/api/v1/labels', LabelSchema, { body: input }),
  remove: async (id: string): Promise<void> => {
    await call('DELETE', `/api/v1/labels/${id}`, null);
  },
});
