import { notificationsRouteDefs as routes } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { NotificationsService } from './notifications.service.js';

/** Notification settings, mutes, push subscriptions, the send record, and the email unsubscribe link. */
export async function notificationsRoutes(app: FastifyInstance, svc: NotificationsService) {
  registerRoute(app, routes.notificationSettings, ({ actor }) => svc.getSettings(actor));
  registerRoute(app, routes.updateNotificationSettings, ({ actor, body }) => svc.updateSettings(actor, body));
  registerRoute(app, routes.conversationNotifications, ({ actor }) => svc.listConversations(actor));
  registerRoute(app, routes.updateConversationNotification, ({ actor, params, body }) =>
    svc.updateConversation(actor, params.conversationId, body),
  );
  registerRoute(app, routes.vapidPublicKey, () => svc.vapidPublicKey());

  registerRoute(app, routes.subscribePush, async ({ actor, body, reply }) => {
    const result = await svc.subscribe(actor, body);
    if (!result.created) reply.code(200);
    return result;
  });

  registerRoute(app, routes.unsubscribePush, async ({ actor, body }) => {
    await svc.unsubscribe(actor, body.endpoint);
    return undefined;
  });
  registerRoute(app, routes.notificationDeliveries, ({ actor, query }) => svc.deliveries(actor, query));
  registerRoute(app, routes.unsubscribeEmail, ({ query }) => svc.unsubscribeEmail(query.token));
}
