import {
  ProblemSchema,
  PushSubscriptionResultSchema,
  PushSubscriptionSchema,
  notificationsRouteDefs as routes,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/access.js';
import { registerRoute } from '../../http/define-route.js';
import { security } from '../../http/route-docs.js';
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

  // Hand-written: it answers 201 for a new endpoint and 200 for a known one (a definition has one status).
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/me/push-subscriptions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['notifications'],
        security,
        summary: "Register this browser's push subscription (201 new, 200 known endpoint)",
        body: PushSubscriptionSchema,
        response: {
          200: PushSubscriptionResultSchema,
          201: PushSubscriptionResultSchema,
          400: ProblemSchema,
          401: ProblemSchema,
        },
      },
    },
    async (req, reply) => {
      const result = await svc.subscribe(actorOf(req), req.body);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  registerRoute(app, routes.unsubscribePush, async ({ actor, body }) => {
    await svc.unsubscribe(actor, body.endpoint);
    return undefined;
  });
  registerRoute(app, routes.notificationDeliveries, ({ actor, query }) => svc.deliveries(actor, query));
  registerRoute(app, routes.unsubscribeEmail, ({ query }) => svc.unsubscribeEmail(query.token));
}
