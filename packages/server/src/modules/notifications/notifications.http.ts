import {
  ConversationIdParamsSchema,
  ConversationNotificationListSchema,
  ConversationNotificationSettingsSchema,
  NotificationDeliveryListSchema,
  NotificationDeliveryQuerySchema,
  NotificationSettingsSchema,
  ProblemSchema,
  PushSubscriptionResultSchema,
  PushSubscriptionSchema,
  PushUnsubscribeSchema,
  UnsubscribeQuerySchema,
  UnsubscribeResultSchema,
  UpdateConversationNotificationSchema,
  UpdateNotificationSettingsSchema,
  VapidPublicKeySchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/access.js';
import { security } from '../../http/route-docs.js';
import type { NotificationsService } from './notifications.service.js';

const tags = ['notifications'];
const authed = { 400: ProblemSchema, 401: ProblemSchema };

/** Notification settings, mutes, push subscriptions, the send record, and the email unsubscribe link. */
export async function notificationsRoutes(app: FastifyInstance, svc: NotificationsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/me/notification-settings',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'My notification settings',
        response: { 200: NotificationSettingsSchema, ...authed },
      },
    },
    async (req) => svc.getSettings(actorOf(req)),
  );

  r.patch(
    '/api/v1/me/notification-settings',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'Change my notification settings (push, email, quiet hours, keywords)',
        body: UpdateNotificationSettingsSchema,
        response: { 200: NotificationSettingsSchema, ...authed },
      },
    },
    async (req) => svc.updateSettings(actorOf(req), req.body),
  );

  r.get(
    '/api/v1/me/notification-settings/conversations',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'My per-conversation settings (mutes, hidden previews)',
        response: { 200: ConversationNotificationListSchema, ...authed },
      },
    },
    async (req) => svc.listConversations(actorOf(req)),
  );

  r.patch(
    '/api/v1/me/notification-settings/conversations/:conversationId',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'Mute (for a time or forever), unmute, or hide previews of one of my conversations',
        description: '404 unless I am a member of the conversation.',
        params: ConversationIdParamsSchema,
        body: UpdateConversationNotificationSchema,
        response: { 200: ConversationNotificationSettingsSchema, ...authed, 404: ProblemSchema },
      },
    },
    async (req) => svc.updateConversation(actorOf(req), req.params.conversationId, req.body),
  );

  r.get(
    '/api/v1/notifications/vapid-public-key',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'The VAPID public key browsers need to subscribe to push (applicationServerKey)',
        response: { 200: VapidPublicKeySchema },
      },
    },
    async () => svc.vapidPublicKey(),
  );

  r.post(
    '/api/v1/me/push-subscriptions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: "Register this browser's push subscription (201 new, 200 known endpoint)",
        body: PushSubscriptionSchema,
        response: { 200: PushSubscriptionResultSchema, 201: PushSubscriptionResultSchema, ...authed },
      },
    },
    async (req, reply) => {
      const result = await svc.subscribe(actorOf(req), req.body);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  r.delete(
    '/api/v1/me/push-subscriptions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'Remove one of my push subscriptions by its endpoint',
        body: PushUnsubscribeSchema,
        response: { 204: z.null(), ...authed, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      await svc.unsubscribe(actorOf(req), req.body.endpoint);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/me/notification-deliveries',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'My latest notification sends: delivered, failed or skipped, and why',
        querystring: NotificationDeliveryQuerySchema,
        response: { 200: NotificationDeliveryListSchema, ...authed },
      },
    },
    async (req) => svc.deliveries(actorOf(req), req.query),
  );

  r.get(
    '/api/v1/notifications/unsubscribe',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "An email's unsubscribe link: turns email notifications off for the user the signed token names",
        querystring: UnsubscribeQuerySchema,
        response: { 200: UnsubscribeResultSchema, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (req) => svc.unsubscribeEmail(req.query.token),
  );
}
