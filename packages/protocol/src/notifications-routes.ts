import { ConversationIdParamsSchema } from './conversations.js';
import {
  ConversationNotificationListSchema,
  ConversationNotificationSettingsSchema,
  NotificationDeliveryListSchema,
  NotificationDeliveryQuerySchema,
  NotificationSettingsSchema,
  PushUnsubscribeSchema,
  UnsubscribeQuerySchema,
  UnsubscribeResultSchema,
  UpdateConversationNotificationSchema,
  UpdateNotificationSettingsSchema,
  VapidPublicKeySchema,
} from './notifications.js';
import { defineRoute } from './routes.js';

const tags = ['notifications'] as const;
const settingsPath = '/api/v1/me/notification-settings';

/**
 * Notification settings, mutes, push subscriptions, the send record and the email unsubscribe link: REST
 * routes defined once for the server and the SDK (see `defineRoute`). Everything behind a session is the
 * caller's own. Registering a push subscription (200 or 201) stays hand-written in `notifications.http.ts`.
 */
export const notificationsRouteDefs = {
  notificationSettings: defineRoute({
    method: 'GET',
    path: settingsPath,
    summary: 'My notification settings',
    tags,
    access: 'authenticated',
    status: 200,
    response: NotificationSettingsSchema,
    errors: [400],
  }),
  updateNotificationSettings: defineRoute({
    method: 'PATCH',
    path: settingsPath,
    summary: 'Change my notification settings (push, email, quiet hours, keywords)',
    tags,
    access: 'authenticated',
    body: UpdateNotificationSettingsSchema,
    status: 200,
    response: NotificationSettingsSchema,
    errors: [400],
  }),
  conversationNotifications: defineRoute({
    method: 'GET',
    path: `${settingsPath}/conversations`,
    summary: 'My per-conversation settings (mutes, hidden previews)',
    tags,
    access: 'authenticated',
    status: 200,
    response: ConversationNotificationListSchema,
    errors: [400],
  }),
  updateConversationNotification: defineRoute({
    method: 'PATCH',
    path: `${settingsPath}/conversations/:conversationId`,
    summary: 'Mute (for a time or forever), unmute, or hide previews of one of my conversations',
    description: '404 unless I am a member of the conversation.',
    tags,
    access: 'authenticated',
    params: ConversationIdParamsSchema,
    body: UpdateConversationNotificationSchema,
    status: 200,
    response: ConversationNotificationSettingsSchema,
    errors: [400, 404],
  }),
  vapidPublicKey: defineRoute({
    method: 'GET',
    path: '/api/v1/notifications/vapid-public-key',
    summary: 'The VAPID public key browsers need to subscribe to push (applicationServerKey)',
    tags,
    access: 'public',
    status: 200,
    response: VapidPublicKeySchema,
  }),
  unsubscribePush: defineRoute({
    method: 'DELETE',
    path: '/api/v1/me/push-subscriptions',
    summary: 'Remove one of my push subscriptions by its endpoint',
    tags,
    access: 'authenticated',
    body: PushUnsubscribeSchema,
    status: 204,
    response: null,
    errors: [400, 404],
  }),
  notificationDeliveries: defineRoute({
    method: 'GET',
    path: '/api/v1/me/notification-deliveries',
    summary: 'My latest notification sends: delivered, failed or skipped, and why',
    tags,
    access: 'authenticated',
    query: NotificationDeliveryQuerySchema,
    status: 200,
    response: NotificationDeliveryListSchema,
    errors: [400],
  }),
  unsubscribeEmail: defineRoute({
    method: 'GET',
    path: '/api/v1/notifications/unsubscribe',
    summary: "An email's unsubscribe link: turns email notifications off for the user the signed token names",
    tags,
    access: 'public',
    query: UnsubscribeQuerySchema,
    status: 200,
    response: UnsubscribeResultSchema,
    errors: [400, 401],
  }),
};
