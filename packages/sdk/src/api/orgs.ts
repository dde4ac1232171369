import {
  type AiSettings,
  AiSettingsSchema,
  OrgSchema,
  type UpdateOrg,
  WidgetSettingsSchema,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';

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
  current: () => call('GET', '/api/v1/orgs/current', OrgSchema),
  update: (body: UpdateOrg) => call('PATCH', '/api/v1/orgs/current', OrgSchema, { body }),
  /** The widget's public key and the identity-verification secret (keep the secret on your server). */
  widget: () => call('GET', '/api/v1/orgs/current/widget', WidgetSettingsSchema),
  /** A new identity secret: signatures made with the old one stop verifying at once. */
  rotateWidgetSecret: () => call('POST', '/api/v1/orgs/current/widget/rotate-secret', WidgetSettingsSchema),
  aiSettings: () => call('GET', '/api/v1/ai/settings', AiSettingsSchema),
  /** Change the confidence threshold, the approval timeout, agent capacity, or switch the assistant off. */
  updateAiSettings: (body: Partial<AiSettings>) => call('PATCH', '/api/v1/ai/settings', AiSettingsSchema, { body }),
});
