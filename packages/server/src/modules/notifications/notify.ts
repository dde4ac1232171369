import { type Message, NOTIFICATION_PREVIEW_MAX, type PushPayload, type Role } from '@switchboard/protocol';
import { z } from 'zod';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { MessengerService } from '../messenger/messenger.service.js';
import { usersService } from '../users/users.service.js';
import { DEFAULT_SETTINGS, type DeliveryRecord, notificationsRepo } from './notifications.repo.js';
import { type PushSender, vapidKeys } from './push.sender.js';
import { decidePush, preview } from './rules.js';

export const MESSAGE_TASK = 'notifications.message';
export const PUSH_TASK = 'notifications.push';

export const MessageTaskSchema = z.object({
  orgId: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  senderId: z.string(),
  senderRole: z.string(),
});
export type MessageTask = z.infer<typeof MessageTaskSchema>;

export const PushTaskSchema = z.object({
  orgId: z.string(),
  userId: z.string(),
  payload: z.object({
    title: z.string(),
    body: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    url: z.string(),
  }),
});
export type PushTask = z.infer<typeof PushTaskSchema>;

/** A push that failed in a way worth retrying; the task queue backs off and runs the task again. */
export class RetryablePushError extends Error {
  override name = 'RetryablePushError';
}

/** A service identity acting for `userId` when the notifier reads the messenger on their behalf. */
export function actingAs(orgId: string, userId: string, role: Role): Actor {
  return { orgId, userId, role, sessionId: 'notifications', kind: 'user' };
}

/** Someone with a connected socket sees new messages live and gets no push. */
export async function hasLiveSocket(platform: Platform, orgId: string, userId: string): Promise<boolean> {
  return platform.presence.hasDevice(orgId, userId, 'socket');
}

/**
 * New message → push: one task per stored message decides, per member, who gets a push (rules.ts) and
 * records why the others do not; one task per notified member sends to each of their subscriptions.
 */
export function messageNotifier(platform: Platform, messenger: MessengerService, sender: PushSender) {
  const repo = notificationsRepo(platform.database.db);
  const users = usersService(platform);
  const now = () => platform.clock.now();

  async function userOrUndefined(orgId: string, id: string) {
    try {
      return await users.get(orgId, id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return undefined;
      throw err;
    }
  }

  /**
   * Whether a message of `actor`'s in the conversation may need a push: someone other than the sender has no
   * live socket. A busy group where everyone is connected must not cost a task per message (they would crowd
   * out the sockets), nor an outbox row (the messenger asks this before the send's transaction: `needs`).
   */
  async function anyoneAway(actor: Actor, conversationId: string): Promise<boolean> {
    const others = (await messenger.conversations.memberIds(actor.orgId, conversationId)).filter(
      (userId) => userId !== actor.userId,
    );
    return platform.presence.anyWithoutDevice(actor.orgId, others, 'socket');
  }

  return {
    anyoneAway,

    /** Called after a message is stored: queue its notification work (durable, idempotent per message). */
    async onMessage(actor: Actor, message: Message): Promise<void> {
      if (!(await anyoneAway(actor, message.conversationId))) return;
      const payload: MessageTask = {
        orgId: actor.orgId,
        conversationId: message.conversationId,
        messageId: message.id,
        senderId: actor.userId,
        senderRole: actor.role,
      };
      await platform.jobs.submit({
        type: MESSAGE_TASK,
        payload,
        orgId: actor.orgId,
        idempotencyKey: `notify:${message.id}`,
      });
    },

    async runMessage(p: MessageTask): Promise<{ notified: number; skipped: number }> {
      const senderActor = actingAs(p.orgId, p.senderId, p.senderRole as Role);
      const message = await messenger.messages.get(senderActor, p.messageId);
      if (message.text === null || message.deletedAt !== null) return { notified: 0, skipped: 0 };
      const conversation = await messenger.conversations.get(senderActor, p.conversationId);
      const sender = await userOrUndefined(p.orgId, p.senderId);
      const senderName = sender?.displayName ?? 'Someone';
      const recipientIds = conversation.members.map((m) => m.userId).filter((id) => id !== p.senderId);
      const settings = await repo.settings(p.orgId, recipientIds);
      const perConversation = await repo.conversationSettings(p.orgId, p.conversationId, recipientIds);
      // Most members have no subscription: record that here instead of queueing a task that finds nothing.
      const subscribed = await repo.subscribedUsers(p.orgId, recipientIds);
      const title =
        conversation.kind === 'group' && conversation.name
          ? `${senderName} in ${conversation.name}`
          : conversation.kind === 'support'
            ? `${senderName} (support${conversation.name ? `: ${conversation.name}` : ''})`
            : senderName;
      const skipped: DeliveryRecord[] = [];
      let notified = 0;
      for (const userId of recipientIds) {
        const user = conversation.kind === 'group' ? await userOrUndefined(p.orgId, userId) : undefined;
        const names = user ? [user.displayName, user.email.split('@')[0] ?? ''] : [];
        const decision = decidePush(
          { userId, names },
          settings.get(userId) ?? DEFAULT_SETTINGS,
          perConversation.get(userId),
          await hasLiveSocket(platform, p.orgId, userId),
          { text: message.text, conversationKind: conversation.kind, at: message.createdAt },
        );
        const key = `push:${p.messageId}:${userId}`;
        const reason = !decision.notify ? decision.reason : subscribed.has(userId) ? undefined : 'no_subscription';
        if (reason) {
          skipped.push({
            key,
            orgId: p.orgId,
            userId,
            channel: 'push',
            status: 'skipped',
            reason,
            conversationId: p.conversationId,
            messageId: p.messageId,
          });
          continue;
        }
        const payload: PushPayload = {
          title,
          body: perConversation.get(userId)?.hidePreview
            ? 'New message'
            : preview(message.text, NOTIFICATION_PREVIEW_MAX),
          conversationId: p.conversationId,
          messageId: p.messageId,
          url: `/messenger/${p.conversationId}`,
        };
        await platform.jobs.submit({
          type: PUSH_TASK,
          payload: { orgId: p.orgId, userId, payload } satisfies PushTask,
          orgId: p.orgId,
          ownerId: userId,
          idempotencyKey: key,
        });
        notified++;
      }
      await repo.record(skipped, now());
      return { notified, skipped: skipped.length };
    },

    /** Send to each subscription not yet delivered (a retry skips the ones that succeeded). */
    async runPush(p: PushTask): Promise<{ delivered: number; removed: number; failed: number }> {
      const base = {
        orgId: p.orgId,
        userId: p.userId,
        channel: 'push' as const,
        conversationId: p.payload.conversationId,
        messageId: p.payload.messageId,
      };
      const subs = await repo.subscriptions(p.orgId, p.userId);
      const summaryKey = `push:${p.payload.messageId}:${p.userId}`;
      if (!subs.length) {
        await repo.record([{ ...base, key: summaryKey, status: 'skipped', reason: 'no_subscription' }], now());
        return { delivered: 0, removed: 0, failed: 0 };
      }
      const keys = await vapidKeys(platform.config.notifications, repo, now());
      const out = { delivered: 0, removed: 0, failed: 0 };
      const retryable: string[] = [];
      for (const sub of subs) {
        const key = `${summaryKey}:${sub.id}`;
        if ((await repo.delivery(key))?.status === 'delivered') continue;
        const result = await sender.send(sub, p.payload, keys);
        if (result.outcome === 'delivered') {
          out.delivered++;
          await repo.markSubscriptionUsed(sub.id, now());
          await repo.record([{ ...base, key, status: 'delivered', reason: null }], now());
        } else if (result.outcome === 'gone') {
          out.removed++;
          await repo.deleteSubscriptionById(sub.id);
          await repo.record([{ ...base, key, status: 'failed', reason: `gone_${result.status}` }], now());
        } else {
          out.failed++;
          if (result.retryable) retryable.push(result.reason);
          await repo.record([{ ...base, key, status: 'failed', reason: result.reason }], now());
        }
      }
      if (retryable.length) throw new RetryablePushError(`push failed: ${retryable.join(', ')}`);
      return out;
    },
  };
}
export type MessageNotifier = ReturnType<typeof messageNotifier>;
