import {
  type PushSubscriptionInput,
  notificationsRouteDefs as routes,
  type UpdateConversationNotification,
  type UpdateNotificationSettings,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

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
  settings: () => callRoute(call, routes.notificationSettings),
  /** Change only the fields given; answers the whole new settings. */
  updateSettings: (change: UpdateNotificationSettings) =>
    callRoute(call, routes.updateNotificationSettings, { body: change }),
  /** My per-conversation settings (only conversations I changed). */
  conversations: () => callRoute(call, routes.conversationNotifications),
  /** Mute for a time (`muteForMs` / `mutedUntil`) or forever, unmute (`mutedUntil: null`), hide previews. */
  updateConversation: (conversationId: string, change: UpdateConversationNotification) =>
    callRoute(call, routes.updateConversationNotification, { params: { conversationId }, body: change }),
  /** The key a browser passes as `applicationServerKey` when it subscribes. */
  vapidPublicKey: () => callRoute(call, routes.vapidPublicKey),
  /** Register (or re-register) this browser's push subscription. */
  // By hand, like its server route (not in the route table): it answers 201 or 200.
  subscribePush: (subscription: PushSubscriptionInput) => callRoute(call, routes.subscribePush, { body: subscription }),
  /** Forget a subscription (e.g. after `PushSubscription.unsubscribe()`). */
  unsubscribePush: async (endpoint: string): Promise<void> => {
    await callRoute(call, routes.unsubscribePush, { body: { endpoint } });
  },
  /** The latest sends to me: delivered, failed or skipped, and why. */
  deliveries: (limit?: number) => callRoute(call, routes.notificationDeliveries, { query: { limit } }),
});
