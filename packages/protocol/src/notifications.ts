import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** At most this many keyword alerts per user. */
export const NOTIFICATION_KEYWORDS_MAX = 20;
/** A push body shows at most this many characters of the message. */
export const NOTIFICATION_PREVIEW_MAX = 100;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** `HH:MM`, 24-hour clock. */
export const ClockTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a time like 22:00');

/**
 * Quiet hours: no push between `start` and `end` (local time in `timezone`, an IANA name). A window that
 * crosses midnight (`22:00`–`07:00`) is allowed; `start` equal to `end` is not.
 *
 * @example
 * ```json
 * { "start": "22:00", "end": "07:00", "timezone": "Europe/Berlin" }
 * ```
 */
export const QuietHoursSchema = z
  .object({
    start: ClockTimeSchema,
    end: ClockTimeSchema,
    timezone: z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
  })
  .refine((q) => q.start !== q.end, { message: 'start and end must differ', path: ['end'] });
export type QuietHours = z.infer<typeof QuietHoursSchema>;

/** A keyword alert: 2–50 characters, matched case-insensitively as a whole word. */
export const NotificationKeywordSchema = z.string().trim().min(2).max(50);

/**
 * A user's notification settings. `keywords` notify even in a muted conversation (a `@mention` of me in a
 * group counts as one); quiet hours hold every push back.
 *
 * @example
 * ```json
 * { "push": true, "email": true, "quietHours": null, "keywords": ["outage", "invoice"] }
 * ```
 */
export const NotificationSettingsSchema = z.object({
  push: z.boolean(),
  email: z.boolean(),
  quietHours: QuietHoursSchema.nullable(),
  keywords: z.array(NotificationKeywordSchema).max(NOTIFICATION_KEYWORDS_MAX),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

/**
 * A change to my settings: only the fields given change.
 *
 * @example
 * ```ts
 * await api.notifications.updateSettings({ quietHours: { start: '22:00', end: '07:00', timezone: 'UTC' } });
 * ```
 */
export const UpdateNotificationSettingsSchema = NotificationSettingsSchema.partial().strict();
export type UpdateNotificationSettings = z.input<typeof UpdateNotificationSettingsSchema>;

/**
 * My settings for one conversation. `mutedUntil`: epoch ms, `'forever'`, or null (not muted).
 * `hidePreview`: pushes from this conversation show no message text (a private conversation).
 *
 * @example
 * ```json
 * { "conversationId": "…", "mutedUntil": "forever", "hidePreview": false }
 * ```
 */
export const ConversationNotificationSettingsSchema = z.object({
  conversationId: IdSchema,
  mutedUntil: z.union([TimestampSchema, z.literal('forever')]).nullable(),
  hidePreview: z.boolean(),
});
export type ConversationNotificationSettings = z.infer<typeof ConversationNotificationSettingsSchema>;

/**
 * Mute a conversation for a time (`mutedUntil` in epoch ms, or `muteForMs`) or forever, unmute (`mutedUntil:
 * null`), or hide its previews. `muteForMs` is at most one year.
 *
 * @example
 * ```ts
 * await api.notifications.updateConversation(id, { muteForMs: 8 * 3_600_000 });
 * await api.notifications.updateConversation(id, { mutedUntil: 'forever' });
 * ```
 */
export const UpdateConversationNotificationSchema = z
  .object({
    mutedUntil: z
      .union([TimestampSchema, z.literal('forever')])
      .nullable()
      .optional(),
    muteForMs: z
      .number()
      .int()
      .min(60_000)
      .max(366 * 86_400_000)
      .optional(),
    hidePreview: z.boolean().optional(),
  })
  .strict()
  .refine((v) => !(v.mutedUntil !== undefined && v.muteForMs !== undefined), {
    message: 'give mutedUntil or muteForMs, not both',
  });
export type UpdateConversationNotification = z.input<typeof UpdateConversationNotificationSchema>;

export const ConversationNotificationListSchema = z.object({ items: z.array(ConversationNotificationSettingsSchema) });

/**
 * A browser's push subscription, as `PushSubscription.toJSON()` returns it.
 *
 * @example
 * ```ts
 * const sub = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
 * await api.notifications.subscribePush(sub.toJSON());
 * ```
 */
export const PushSubscriptionSchema = z.object({
  endpoint: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .describe('The push service URL (https)'),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: z
      .string()
      .regex(/^[A-Za-z0-9_-]{87}$/, 'a base64url P-256 public key')
      .describe('The browser key (uncompressed P-256 point, base64url)'),
    auth: z
      .string()
      .regex(/^[A-Za-z0-9_-]{22}$/, 'a base64url 16-byte secret')
      .describe('The 16-byte auth secret (base64url)'),
  }),
});
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionSchema>;

export const PushSubscriptionResultSchema = z.object({ id: IdSchema, created: z.boolean() });
export const PushUnsubscribeSchema = z.object({ endpoint: z.string().min(1).max(2000) });

/** The VAPID public key the browser needs as `applicationServerKey` (base64url). */
export const VapidPublicKeySchema = z.object({ publicKey: z.string() });

/**
 * What the service worker receives in a push: show `title` / `body`, open `url` on click.
 *
 * @example
 * ```json
 * { "title": "Ann in Launch", "body": "Ready to ship?", "conversationId": "…", "messageId": "…",
 *   "url": "/messenger/…" }
 * ```
 */
export const PushPayloadSchema = z.object({
  title: z.string(),
  body: z.string(),
  conversationId: IdSchema,
  messageId: IdSchema,
  url: z.string(),
});
export type PushPayload = z.infer<typeof PushPayloadSchema>;

export const NotificationChannelSchema = z.enum(['push', 'email']);
export const DeliveryStatusSchema = z.enum(['delivered', 'failed', 'skipped']);

/**
 * One notification attempt as recorded: `reason` says why one was skipped or failed (`online`, `muted`,
 * `quiet_hours`, `push_off`, `no_subscription`, `gone`, `http_500`…).
 */
export const NotificationDeliverySchema = z.object({
  id: IdSchema,
  channel: NotificationChannelSchema,
  status: DeliveryStatusSchema,
  reason: z.string().nullable(),
  conversationId: IdSchema.nullable(),
  messageId: IdSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type NotificationDelivery = z.infer<typeof NotificationDeliverySchema>;
export const NotificationDeliveryListSchema = z.object({ items: z.array(NotificationDeliverySchema) });
export const NotificationDeliveryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** The signed token of an email's unsubscribe link. */
export const UnsubscribeQuerySchema = z.object({ token: z.string().min(10).max(500) });
/** What the unsubscribe link changed: email notifications are now off. */
export const UnsubscribeResultSchema = z.object({ email: z.literal(false) });
export type UnsubscribeResult = z.infer<typeof UnsubscribeResultSchema>;
