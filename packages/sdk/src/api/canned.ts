import {
  type CreateCannedResponse,
  agentToolRouteDefs as routes,
  type UpdateCannedResponse,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

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
  list: async () => (await callRoute(call, routes.listCanned)).items,
  create: (input: CreateCannedResponse) => callRoute(call, routes.createCanned, { body: input }),
  update: (id: string, patch: UpdateCannedResponse) =>
    callRoute(call, routes.updateCanned, { params: { id }, body: patch }),
  remove: async (id: string): Promise<void> => {
    await callRoute(call, routes.deleteCanned, { params: { id } });
  },
});
