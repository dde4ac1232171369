import type { CreateLabel } from '@switchboard/protocol';
import { agentToolRouteDefs as routes } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

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
  list: async () => (await callRoute(call, routes.listLabels)).items,
  create: (input: CreateLabel) => callRoute(call, routes.createLabel, { body: input }),
  remove: async (id: string): Promise<void> => {
    await callRoute(call, routes.deleteLabel, { params: { id } });
  },
});
