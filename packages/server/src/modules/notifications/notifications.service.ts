import {
  type ConversationNotificationSettings,
  type NotificationDelivery,
  NotificationDeliveryQuerySchema,
  type NotificationSettings,
  PushSubscriptionSchema,
  type UpdateConversationNotification,
  UpdateConversationNotificationSchema,
  type UpdateNotificationSettings,
  UpdateNotificationSettingsSchema,
} from '@switchboard/protocol';
import nodemailer, { type Transporter } from 'nodemailer';
import type { z } from 'zod';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { jwtKey } from '../auth/keys.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { PresenceService } from '../presence/presence.service.js';
import { digestSender } from './digest.js';
import { type ConversationSetting, DEFAULT_SETTINGS, notificationsRepo } from './notifications.repo.js';
import { messageNotifier } from './notify.js';
import { type PushSender, vapidKeys, webPushSender } from './push.sender.js';
import { unsubscribeTokens } from './unsubscribe.js';

export interface NotificationsOptions {
  /** Web Push transport; default: `web-push` over HTTPS. */
  push?: PushSender;
  /** SMTP transport; default: nodemailer on `SMTP_URL`, none when it is unset. */
  mailer?: Transporter;
}

/** Whether a push endpoint names one of `hosts` (`*.example.com`: any subdomain of example.com). */
export function isPushServiceHost(endpoint: string, hosts: readonly string[]): boolean {
  const host = new URL(endpoint).hostname.toLowerCase();
  return hosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) : host === h));
}

function toConversationSettings(s: ConversationSetting): ConversationNotificationSettings {
  return {
    conversationId: s.conversationId,
    mutedUntil: s.mutedForever ? 'forever' : s.mutedUntil,
    hidePreview: s.hidePreview,
  };
}

/**
 * Notifications: my settings, per-conversation mutes, push subscriptions, the record of sends, and the two
 * senders (push per message, email digest) that the task handlers call.
 *
 * @example
 * ```ts
 * const notifications = notificationsService(platform, messenger, presence);
 * messenger.onMessageStored((actor, message) => void notifications.push.onMessage(actor, message));
 * ```
 */
export function notificationsService(
  platform: Platform,
  messenger: MessengerService,
  presence: PresenceService,
  opts: NotificationsOptions = {},
) {
  const repo = notificationsRepo(platform.database.db);
  const cfg = platform.config.notifications;
  const now = () => platform.clock.now();
  const tokens = unsubscribeTokens(jwtKey(platform.config));
  const mailer = opts.mailer ?? (cfg.smtpUrl ? nodemailer.createTransport(cfg.smtpUrl) : undefined);
  const push = messageNotifier(platform, messenger, opts.push ?? webPushSender(cfg.vapid.subject));
  const digest = digestSender(platform, messenger, presence, mailer, tokens);

  async function settingsOf(actor: Actor): Promise<NotificationSettings> {
    const found = (await repo.settings(actor.orgId, [actor.userId])).get(actor.userId);
    if (!found) return DEFAULT_SETTINGS;
    const { lastDigestAt: _l, ...settings } = found;
    return settings;
  }

  return {
    push,
    digest,
    tokens,

    getSettings: settingsOf,

    async updateSettings(actor: Actor, input: UpdateNotificationSettings): Promise<NotificationSettings> {
      const change = UpdateNotificationSettingsSchema.parse(input);
      const next = { ...(await settingsOf(actor)), ...change };
      next.keywords = [...new Set(next.keywords.map((k) => k.trim()))];
      await repo.saveSettings(actor.orgId, actor.userId, next, now());
      return next;
    },

    async listConversations(actor: Actor): Promise<{ items: ConversationNotificationSettings[] }> {
      return { items: (await repo.listConversationSettings(actor.orgId, actor.userId)).map(toConversationSettings) };
    },

    /** Mute (for a time or forever), unmute, or hide previews of one of my conversations. */
    async updateConversation(
      actor: Actor,
      conversationId: string,
      input: UpdateConversationNotification,
    ): Promise<ConversationNotificationSettings> {
      const change = UpdateConversationNotificationSchema.parse(input);
      await messenger.conversations.get(actor, conversationId); // not_found unless a member
      const current = (await repo.conversationSettings(actor.orgId, conversationId, [actor.userId])).get(actor.userId);
      const next: ConversationSetting = current ?? {
        conversationId,
        mutedUntil: null,
        mutedForever: false,
        hidePreview: false,
      };
      if (change.muteForMs !== undefined) {
        next.mutedUntil = now() + change.muteForMs;
        next.mutedForever = false;
      } else if (change.mutedUntil !== undefined) {
        next.mutedForever = change.mutedUntil === 'forever';
        next.mutedUntil = typeof change.mutedUntil === 'number' ? change.mutedUntil : null;
      }
      if (change.hidePreview !== undefined) next.hidePreview = change.hidePreview;
      await repo.saveConversationSetting(actor.orgId, actor.userId, next, now());
      return toConversationSettings(next);
    },

    async vapidPublicKey(): Promise<{ publicKey: string }> {
      return { publicKey: (await vapidKeys(cfg, repo, now())).publicKey };
    },

    async subscribe(actor: Actor, input: z.input<typeof PushSubscriptionSchema>) {
      const sub = PushSubscriptionSchema.parse(input);
      if (!isPushServiceHost(sub.endpoint, cfg.pushServiceHosts)) {
        throw new AppError('bad_request', 'endpoint: not a known push service (the server allows PUSH_SERVICE_HOSTS)');
      }
      return repo.upsertSubscription(
        {
          orgId: actor.orgId,
          userId: actor.userId,
          endpoint: sub.endpoint,
          p256dh: sub.keys.p256dh,
          auth: sub.keys.auth,
        },
        now(),
      );
    },

    async unsubscribe(actor: Actor, endpoint: string): Promise<void> {
      if (!(await repo.deleteSubscription(actor.orgId, actor.userId, endpoint))) {
        throw new AppError('not_found', 'no such push subscription');
      }
    },

    async deliveries(actor: Actor, query: z.input<typeof NotificationDeliveryQuerySchema> = {}) {
      const { limit } = NotificationDeliveryQuerySchema.parse(query);
      return { items: (await repo.deliveries(actor.orgId, actor.userId, limit)) as NotificationDelivery[] };
    },

    /** Follow an email's unsubscribe link: email off for the user the signed token names. */
    async unsubscribeEmail(token: string): Promise<{ email: false }> {
      const who = tokens.verify(token);
      if (!who) throw new AppError('token_invalid', 'the unsubscribe link is not valid');
      const found = (await repo.settings(who.orgId, [who.userId])).get(who.userId);
      const { lastDigestAt: _l, ...current } = found ?? { ...DEFAULT_SETTINGS, lastDigestAt: null };
      await repo.saveSettings(who.orgId, who.userId, { ...current, email: false }, now());
      return { email: false };
    },

    close(): void {
      mailer?.close();
    },
  };
}
export type NotificationsService = ReturnType<typeof notificationsService>;
