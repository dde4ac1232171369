import {
  ConversationNotificationListSchema,
  ConversationNotificationSettingsSchema,
  NotificationDeliveryListSchema,
  NotificationSettingsSchema,
  type PushSubscriptionInput,
  PushSubscriptionResultSchema,
  type UpdateConversationNotification,
  type UpdateNotificationSettings,
  VapidPublicKeySchema,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';

const settings = '/api/v1/me/notification-settings';

/**
 * My notifications: settings (push, email, quiet hours, keywords), per-conversation mutes, this browser's
 * push subscription, and the record of what was sent to me.
 *
 * @example
 * ```ts
 * await client.api.notifications.updateSettings({ keywords: ['outage'] });
 * await client.api.notifications.updateConversation(conversationId, { muteForMs: 8 * 3_600_000 });
 * const { publicKey } = await client.api.notifications.vapidPublicKey();
 * const sub = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey });
 * await client.api.notifications.subscribePush(sub.toJSON() as PushSubscriptionInput);
 * ```
 */
export const notificationsApi = (call: RestCall) => ({
  /** My settings (the defaults until I change any). */
  settings: () => call('GET', settings, NotificationSettingsSchema),
  /** Change only the fields given; answers the whole new settings. */
  updateSettings: (change: UpdateNotificationSettings) =>
    call('PATCH', settings, NotificationSettingsSchema, { body: change }),
  /** My per-conversation settings (only conversations I changed). */
  conversations: () => call('GET', `${settings}/conversations`, ConversationNotificationListSchema),
  /** Mute for a time (`muteForMs` / `mutedUntil`) or forever, unmute (`mutedUntil: null`), hide previews. */
  updateConversation: (conversationId: string, change: UpdateConversationNotification) =>
    call('PATCH', `${settings}/conversations/${conversationId}`, ConversationNotificationSettingsSchema, {
      body: change,
    }),
  /** The key a browser passes as `applicationServerKey` when it subscribes. */
  vapidPublicKey: () => call('GET', '/api/v1/notifications/vapid-public-key', VapidPublicKeySchema),
  /** Register (or re-register) this browser's push subscription. */
  subscribePush: (subscription: PushSubscriptionInput) =>
    call('POST', '/api/v1/me/push-subscriptions', PushSubscriptionResultSchema, { body: subscription }),
  /** Forget a subscription (e.g. after `PushSubscription.unsubscribe()`). */
  unsubscribePush: async (endpoint: string): Promise<void> => {
    await call('DELETE', '/api/v1/me/push-subscriptions', null, { body: { endpoint } });
  },
  /** The latest sends to me: delivered, failed or skipped, and why. */
  deliveries: (limit?: number) =>
    call('GET', '/api/v1/me/notification-deliveries', NotificationDeliveryListSchema, { query: { limit } }),
});
