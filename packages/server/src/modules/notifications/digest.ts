import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import type { PresenceService } from '../presence/presence.service.js';
import { usersService } from '../users/users.service.js';
import { type DigestItem, renderDigest } from './digest.template.js';
import { DEFAULT_SETTINGS, notificationsRepo } from './notifications.repo.js';
import { actingAs, hasLiveSocket } from './notify.js';
import { preview } from './rules.js';
import type { unsubscribeTokens } from './unsubscribe.js';

export const DIGEST_SWEEP_TASK = 'notifications.digest_sweep';
export const DIGEST_TASK = 'notifications.digest';
export const DigestTaskSchema = z.object({ orgId: z.string(), userId: z.string() });
export type DigestTask = z.infer<typeof DigestTaskSchema>;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Conversations a digest lists at most (the total unread still counts all of them). */
const DIGEST_ITEMS_MAX = 10;

/** Why a digest was not sent; recorded on the day's email delivery. */
export type DigestSkip = 'email_off' | 'no_email' | 'online' | 'recently_online' | 'below_threshold' | 'sent_today';

/**
 * Email digests: an hourly sweep queues a check for every user who missed messages while offline; the
 * check sends one email when they have been offline long enough, have enough unread messages outside muted
 * conversations, and got no digest in the last 24 h. Every check records its outcome for the day.
 */
export function digestSender(
  platform: Platform,
  messenger: MessengerService,
  presence: PresenceService,
  mailer: Transporter | undefined,
  tokens: ReturnType<typeof unsubscribeTokens>,
) {
  const repo = notificationsRepo(platform.database.db);
  const users = usersService(platform);
  const cfg = platform.config.notifications;
  const now = () => platform.clock.now();

  async function check(p: DigestTask): Promise<DigestSkip | { items: DigestItem[]; totalUnread: number }> {
    const settings = (await repo.settings(p.orgId, [p.userId])).get(p.userId) ?? {
      ...DEFAULT_SETTINGS,
      lastDigestAt: null,
    };
    if (!settings.email) return 'email_off';
    const user = await users.get(p.orgId, p.userId);
    if (user.kind !== 'user' || !user.active) return 'no_email';
    if (await hasLiveSocket(platform, p.orgId, p.userId)) return 'online';
    const self = actingAs(p.orgId, p.userId, user.role);
    const { lastSeen } = await presence.get(self, p.userId);
    if (lastSeen !== null && now() - lastSeen < cfg.digestOfflineMs) return 'recently_online';
    if (settings.lastDigestAt !== null && now() - settings.lastDigestAt < DAY_MS) return 'sent_today';
    const muted = new Set(
      (await repo.listConversationSettings(p.orgId, p.userId))
        .filter((c) => c.mutedForever || (c.mutedUntil !== null && c.mutedUntil > now()))
        .map((c) => c.conversationId),
    );
    const { items } = await messenger.conversations.list(self, { limit: 100 });
    const unread = items.filter((c) => c.unreadCount > 0 && !muted.has(c.id) && c.lastMessage);
    const totalUnread = unread.reduce((n, c) => n + c.unreadCount, 0);
    if (totalUnread < cfg.digestMinUnread) return 'below_threshold';
    const digestItems: DigestItem[] = [];
    for (const c of unread.slice(0, DIGEST_ITEMS_MAX)) {
      const last = c.lastMessage;
      if (!last) continue;
      const sender = await users.get(p.orgId, last.senderId).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'not_found') return undefined;
        throw err;
      });
      const senderName = sender?.displayName ?? 'Someone';
      const hidden = (await repo.conversationSettings(p.orgId, c.id, [p.userId])).get(p.userId)?.hidePreview;
      digestItems.push({
        conversationTitle: c.name ?? (c.kind === 'direct' ? senderName : 'Support conversation'),
        unread: c.unreadCount,
        sender: senderName,
        preview: hidden || last.text === null ? '(preview hidden)' : preview(last.text, 140),
        url: `${platform.config.publicUrl}/messenger/${c.id}`,
      });
    }
    return { items: digestItems, totalUnread };
  }

  return {
    /** Queue a check for every user who missed a message while offline in the last week (once per hour). */
    async sweep(): Promise<{ queued: number }> {
      // Without SMTP there is nothing to send; a daily "skipped" per user would only be noise.
      if (!mailer) return { queued: 0 };
      const at = now();
      const tick = Math.floor(at / HOUR_MS);
      const candidates = await repo.digestCandidates(at - 7 * DAY_MS);
      for (const c of candidates) {
        await platform.jobs.submit({
          type: DIGEST_TASK,
          payload: c satisfies DigestTask,
          orgId: c.orgId,
          ownerId: c.userId,
          idempotencyKey: `digest:${c.userId}:${tick}`,
        });
      }
      return { queued: candidates.length };
    },

    async run(p: DigestTask): Promise<{ sent: boolean; reason?: string }> {
      const day = Math.floor(now() / DAY_MS);
      const key = `email:digest:${p.userId}:${day}`;
      const base = { key, orgId: p.orgId, userId: p.userId, channel: 'email' as const };
      const existing = await repo.delivery(key);
      if (existing?.status === 'delivered') return { sent: false, reason: 'sent_today' };
      if (!mailer) {
        await repo.record([{ ...base, status: 'skipped', reason: 'smtp_not_configured' }], now());
        return { sent: false, reason: 'smtp_not_configured' };
      }
      const outcome = await check(p);
      if (typeof outcome === 'string') {
        await repo.record([{ ...base, status: 'skipped', reason: outcome }], now());
        return { sent: false, reason: outcome };
      }
      const user = await users.get(p.orgId, p.userId);
      const token = tokens.create(p.orgId, p.userId);
      // People land on the web app's page; mail clients' one-step unsubscribe calls the API directly.
      const unsubscribeUrl = `${platform.config.publicUrl}/unsubscribe?token=${token}`;
      const unsubscribeApi = `${platform.config.publicUrl}/api/v1/notifications/unsubscribe?token=${token}`;
      const mail = renderDigest({
        recipientName: user.displayName,
        totalUnread: outcome.totalUnread,
        items: outcome.items,
        appUrl: platform.config.publicUrl,
        unsubscribeUrl,
      });
      try {
        await mailer.sendMail({
          from: cfg.smtpFrom,
          to: user.email,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: {
            'List-Unsubscribe': `<${unsubscribeApi}>`,
          },
        });
      } catch (err) {
        const reason = ((err as { code?: string }).code ?? 'smtp_error').toLowerCase();
        await repo.record([{ ...base, status: 'failed', reason }], now());
        throw err;
      }
      await repo.markDigest(p.orgId, p.userId, now());
      await repo.record([{ ...base, status: 'delivered', reason: null }], now());
      return { sent: true };
    },
  };
}
export type DigestSender = ReturnType<typeof digestSender>;
