import { z } from 'zod';
import { TimestampSchema } from './common.js';

const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

/**
 * One opening range on a weekday (0 Sunday … 6 Saturday), in the org's timezone. A `close` at or before
 * `open` runs overnight into the next day (`22:00`–`06:00`); `open` equal to `close` is a full 24 hours.
 *
 * @example
 * ```json
 * { "day": 1, "open": "09:00", "close": "17:30" }
 * ```
 */
export const OpeningRangeSchema = z.object({
  day: z.number().int().min(0).max(6),
  open: TimeOfDaySchema,
  close: TimeOfDaySchema,
});
export type OpeningRange = z.infer<typeof OpeningRangeSchema>;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * `GET|PUT /api/v1/support/hours/settings` (admins): the org's business hours, away message and pre-chat form.
 * With `hoursEnabled` off the team counts as always open.
 *
 * @example
 * ```json
 * { "timezone": "Europe/Berlin", "hoursEnabled": true,
 *   "hours": [{ "day": 1, "open": "09:00", "close": "17:00" }],
 *   "awayMessage": "We're away right now.", "prechatName": true, "prechatEmail": false }
 * ```
 */
export const SupportSettingsSchema = z.object({
  timezone: z.string().min(1).max(64).refine(isTimeZone, 'Unknown IANA timezone'),
  hoursEnabled: z.boolean(),
  hours: z.array(OpeningRangeSchema).max(50),
  awayMessage: z.string().max(1000),
  /** Ask the visitor's name before the first message. */
  prechatName: z.boolean(),
  /** Ask the visitor's email before the first message (validated). */
  prechatEmail: z.boolean(),
});
export type SupportSettings = z.infer<typeof SupportSettingsSchema>;

/**
 * `GET /api/v1/support/hours`: what the widget needs (no staff data): whether the team is open now, when it
 * opens next, the away message and which pre-chat questions to ask.
 *
 * @example
 * ```json
 * { "open": false, "nextOpenAt": 1767600000000, "timezone": "Europe/Berlin",
 *   "awayMessage": "We're away right now.", "prechatName": true, "prechatEmail": true }
 * ```
 */
export const SupportHoursSchema = z.object({
  open: z.boolean(),
  /** When the team next opens (ms since epoch); null while open, or when no hours are set. */
  nextOpenAt: TimestampSchema.nullable(),
  timezone: z.string(),
  awayMessage: z.string(),
  prechatName: z.boolean(),
  prechatEmail: z.boolean(),
});
export type SupportHours = z.infer<typeof SupportHoursSchema>;

/**
 * `PUT /api/v1/support/contact` (customers): the name and/or email a widget visitor gave (pre-chat form, or
 * "leave your email" outside business hours); staff see them on the conversation.
 *
 * @example
 * ```json
 * { "displayName": "Ada", "email": "ada@example.com" }
 * ```
 */
export const UpdateSupportContactSchema = z
  .object({
    displayName: z.string().trim().min(1).max(80).optional(),
    email: z.string().trim().toLowerCase().email().max(254).optional(),
  })
  .refine((v) => v.displayName !== undefined || v.email !== undefined, 'Give a name or an email');
export type UpdateSupportContact = z.input<typeof UpdateSupportContactSchema>;

/** The contact details as stored, returned by `PUT /api/v1/support/contact`. */
export const SupportContactSchema = z.object({
  displayName: z.string(),
  /** Empty when none was given. */
  email: z.string(),
});
export type SupportContact = z.infer<typeof SupportContactSchema>;
