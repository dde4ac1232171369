import {
  SupportContactSchema,
  SupportHoursSchema,
  type SupportSettings,
  SupportSettingsSchema,
  type UpdateSupportContact,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';

/**
 * Business hours and the widget's pre-chat form: any session reads whether the team is open now and when it
 * opens next (`hours`); admins read and change the settings; a widget customer leaves their name or email.
 *
 * @example
 * ```ts
 * const { open, nextOpenAt, awayMessage } = await client.api.supportHours.hours();
 * if (!open) await client.api.supportHours.setContact({ email: 'ada@example.com' });
 * ```
 */
export const supportHoursApi = (call: RestCall) => ({
  hours: () => call('GET', '/api/v1/support/hours', SupportHoursSchema),
  /** Admins: timezone, weekly hours, away message, pre-chat questions. */
  settings: () => call('GET', '/api/v1/support/hours/settings', SupportSettingsSchema),
  updateSettings: (body: SupportSettings) =>
    call('PUT', '/api/v1/support/hours/settings', SupportSettingsSchema, { body }),
  /** Customers: the name and/or email staff should see for me. */
  setContact: (body: UpdateSupportContact) => call('PUT', '/api/v1/support/contact', SupportContactSchema, { body }),
});
