import { type AiSettings, assistantRouteDefs, orgsRouteDefs as defs, type UpdateOrg } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

/**
 * My org and its settings: name (`/api/v1/orgs/current`), the chat widget's key and identity secret (admins),
 * and the assistant's settings (`/api/v1/ai/settings`: supervisors read, admins change).
 *
 * @example
 * ```ts
 * const org = await client.api.orgs.current();
 * await client.api.orgs.updateAiSettings({ threshold: 0.7, approvalTimeoutMs: 120_000 });
 * const { widgetKey } = await client.api.orgs.widget();
 * ```
 */
export const orgsApi = (call: RestCall) => ({
  current: () => callRoute(call, defs.currentOrg),
  update: (body: UpdateOrg) => callRoute(call, defs.updateOrg, { body }),
  /** The widget's public key and the identity-verification secret (keep the secret on your server). */
  widget: () => callRoute(call, defs.widgetSettings),
  /** A new identity secret: signatures made with the old one stop verifying at once. */
  rotateWidgetSecret: () => callRoute(call, defs.rotateWidgetSecret),
  aiSettings: () => callRoute(call, assistantRouteDefs.aiSettings),
  /** Change the confidence threshold, the approval timeout, agent capacity, or switch the assistant off. */
  updateAiSettings: (body: Partial<AiSettings>) => callRoute(call, assistantRouteDefs.updateAiSettings, { body }),
});
