import { supportRouteDefs as routes, type SupportSettings, type UpdateSupportContact } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

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
  hours: () => callRoute(call, routes.hours),
  /** Admins: timezone, weekly hours, away message, pre-chat questions. */
  settings: () => callRoute(call, routes.hoursSettings),
  updateSettings: (body: SupportSettings) => callRoute(call, routes.updateHoursSettings, { body }),
  /** Customers: the name and/or email staff should see for me. */
  setContact: (body: UpdateSupportContact) => callRoute(call, routes.setContact, { body }),
});
