import { randomUUID } from 'node:crypto';
import type { NotificationDelivery, NotificationSettings } from '@switchboard/protocol';
import type { Kysely } from 'kysely';
import type { DB } from '../../schema.js';
import type { NotificationConversationsTable, NotificationDeliveriesTable } from './notifications.tables.js';

export const DEFAULT_SETTINGS: NotificationSettings = { push: true, email: true, quietHours: null, keywords: [] };

export type ConversationSetting = Pick<NotificationConversationsTable, 'conversationId' | 'mutedUntil'> & {
  mutedForever: boolean;
  hidePreview: boolean;
};

export interface DeliveryRecord {
  key: string;
  orgId: string;
  userId: string;
  channel: NotificationDeliveriesTable['channel'];
  status: NotificationDeliveriesTable['status'];
  reason: string | null;
  conversationId?: string | null;
  messageId?: string | null;
}

export interface StoredSubscription {
  id: string;
  orgId: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** The only code touching the notification tables; every user-facing query is scoped by org. */
export function notificationsRepo(db: Kysely<DB>) {
  return {
    async settings(
      orgId: string,
      userIds: readonly string[],
    ): Promise<Map<string, NotificationSettings & { lastDigestAt: number | null }>> {
      const out = new Map<string, NotificationSettings & { lastDigestAt: number | null }>();
      if (!userIds.length) return out;
      const rows = await db
        .selectFrom('notificationSettings')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('userId', 'in', userIds)
        .execute();
      for (const r of rows) {
        out.set(r.userId, {
          push: r.push === 1,
          email: r.email === 1,
          quietHours:
            r.quietStart && r.quietEnd && r.quietTimezone
              ? { start: r.quietStart, end: r.quietEnd, timezone: r.quietTimezone }
              : null,
          keywords: JSON.parse(r.keywords) as string[],
          lastDigestAt: r.lastDigestAt === null ? null : Number(r.lastDigestAt),
        });
      }
      return out;
    },

    async saveSettings(orgId: string, userId: string, s: NotificationSettings, now: number): Promise<void> {
      const values = {
        push: s.push ? 1 : 0,
        email: s.email ? 1 : 0,
        quietStart: s.quietHours?.start ?? null,
        quietEnd: s.quietHours?.end ?? null,
        quietTimezone: s.quietHours?.timezone ?? null,
        keywords: JSON.stringify(s.keywords),
        updatedAt: now,
      };
      await db
        .insertInto('notificationSettings')
        .values({ orgId, userId, lastDigestAt: null, ...values })
        .onConflict((oc) => oc.columns(['orgId', 'userId']).doUpdateSet(values))
        .execute();
    },

    /** Note that a digest went out now (the daily limit counts from here). */
    async markDigest(orgId: string, userId: string, now: number): Promise<void> {
      await db
        .insertInto('notificationSettings')
        .values({
          orgId,
          userId,
          push: 1,
          email: 1,
          quietStart: null,
          quietEnd: null,
          quietTimezone: null,
          keywords: '[]',
          lastDigestAt: now,
          updatedAt: now,
        })
        .onConflict((oc) => oc.columns(['orgId', 'userId']).doUpdateSet({ lastDigestAt: now }))
        .execute();
    },

    async conversationSettings(
      orgId: string,
      conversationId: string,
      userIds: readonly string[],
    ): Promise<Map<string, ConversationSetting>> {
      if (!userIds.length) return new Map();
      const rows = await db
        .selectFrom('notificationConversations')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('conversationId', '=', conversationId)
        .where('userId', 'in', userIds)
        .execute();
      return new Map(rows.map((r) => [r.userId, toConversationSetting(r)]));
    },

    async listConversationSettings(orgId: string, userId: string): Promise<ConversationSetting[]> {
      const rows = await db
        .selectFrom('notificationConversations')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('userId', '=', userId)
        .orderBy('conversationId')
        .execute();
      return rows.map(toConversationSetting);
    },

    async saveConversationSetting(orgId: string, userId: string, s: ConversationSetting, now: number): Promise<void> {
      const values = {
        mutedUntil: s.mutedUntil,
        mutedForever: s.mutedForever ? 1 : 0,
        hidePreview: s.hidePreview ? 1 : 0,
        updatedAt: now,
      };
      await db
        .insertInto('notificationConversations')
        .values({ orgId, userId, conversationId: s.conversationId, ...values })
        .onConflict((oc) => oc.columns(['userId', 'conversationId']).doUpdateSet(values))
        .execute();
    },

    /** Add or move a subscription: an endpoint belongs to whoever registered it last. */
    async upsertSubscription(
      s: Omit<StoredSubscription, 'id'>,
      now: number,
    ): Promise<{ id: string; created: boolean }> {
      const existing = await db
        .selectFrom('pushSubscriptions')
        .select('id')
        .where('endpoint', '=', s.endpoint)
        .executeTakeFirst();
      if (existing) {
        await db
          .updateTable('pushSubscriptions')
          .set({ orgId: s.orgId, userId: s.userId, p256dh: s.p256dh, auth: s.auth })
          .where('id', '=', existing.id)
          .execute();
        return { id: existing.id, created: false };
      }
      const id = randomUUID();
      await db
        .insertInto('pushSubscriptions')
        .values({ id, ...s, createdAt: now, lastSuccessAt: null })
        .onConflict((oc) =>
          oc.column('endpoint').doUpdateSet({ orgId: s.orgId, userId: s.userId, p256dh: s.p256dh, auth: s.auth }),
        )
        .execute();
      return { id, created: true };
    },

    async subscriptions(orgId: string, userId: string): Promise<StoredSubscription[]> {
      return db
        .selectFrom('pushSubscriptions')
        .select(['id', 'orgId', 'userId', 'endpoint', 'p256dh', 'auth'])
        .where('orgId', '=', orgId)
        .where('userId', '=', userId)
        .orderBy('createdAt')
        .execute();
    },

    /** Which of these users have at least one push subscription. */
    async subscribedUsers(orgId: string, userIds: readonly string[]): Promise<Set<string>> {
      if (!userIds.length) return new Set();
      const rows = await db
        .selectFrom('pushSubscriptions')
        .select('userId')
        .distinct()
        .where('orgId', '=', orgId)
        .where('userId', 'in', userIds)
        .execute();
      return new Set(rows.map((r) => r.userId));
    },

    async deleteSubscription(orgId: string, userId: string, endpoint: string): Promise<boolean> {
      const r = await db
        .deleteFrom('pushSubscriptions')
        .where('orgId', '=', orgId)
        .where('userId', '=', userId)
        .where('endpoint', '=', endpoint)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async deleteSubscriptionById(id: string): Promise<void> {
      await db.deleteFrom('pushSubscriptions').where('id', '=', id).execute();
    },

    async markSubscriptionUsed(id: string, now: number): Promise<void> {
      await db.updateTable('pushSubscriptions').set({ lastSuccessAt: now }).where('id', '=', id).execute();
    },

    /** Record attempts; a record with a known key is updated (a retry), counting its attempts. */
    async record(records: readonly DeliveryRecord[], now: number): Promise<void> {
      for (let i = 0; i < records.length; i += 200) {
        const values = records.slice(i, i + 200).map((r) => ({
          id: randomUUID(),
          key: r.key,
          orgId: r.orgId,
          userId: r.userId,
          channel: r.channel,
          status: r.status,
          reason: r.reason,
          conversationId: r.conversationId ?? null,
          messageId: r.messageId ?? null,
          attempts: 1,
          createdAt: now,
          updatedAt: now,
        }));
        await db
          .insertInto('notificationDeliveries')
          .values(values)
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              reason: eb.ref('excluded.reason'),
              attempts: eb('notificationDeliveries.attempts', '+', 1),
              updatedAt: eb.ref('excluded.updatedAt'),
            })),
          )
          .execute();
      }
    },

    async delivery(key: string) {
      return db.selectFrom('notificationDeliveries').selectAll().where('key', '=', key).executeTakeFirst();
    },

    async deliveries(orgId: string, userId: string, limit: number): Promise<NotificationDelivery[]> {
      const rows = await db
        .selectFrom('notificationDeliveries')
        .select(['id', 'channel', 'status', 'reason', 'conversationId', 'messageId', 'createdAt', 'updatedAt'])
        .where('orgId', '=', orgId)
        .where('userId', '=', userId)
        .orderBy('createdAt', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r, createdAt: Number(r.createdAt), updatedAt: Number(r.updatedAt) }));
    },

    /** Users who missed a message while offline since `since`: the candidates for an email digest. */
    async digestCandidates(since: number): Promise<{ orgId: string; userId: string }[]> {
      return db
        .selectFrom('notificationDeliveries')
        .select(['orgId', 'userId'])
        .distinct()
        .where('channel', '=', 'push')
        .where('createdAt', '>=', since)
        .where((eb) => eb.or([eb('reason', 'is', null), eb('reason', '!=', 'online')]))
        .orderBy('orgId')
        .orderBy('userId')
        .execute();
    },

    async vapidKeys(): Promise<{ publicKey: string; privateKey: string } | undefined> {
      return db
        .selectFrom('notificationKeys')
        .select(['publicKey', 'privateKey'])
        .where('name', '=', 'vapid')
        .executeTakeFirst();
    },

    /** Store a generated pair unless another node stored one first; returns the pair that won. */
    async saveVapidKeys(keys: { publicKey: string; privateKey: string }, now: number) {
      await db
        .insertInto('notificationKeys')
        .values({ name: 'vapid', ...keys, createdAt: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const stored = await this.vapidKeys();
      if (!stored) throw new Error('VAPID keys vanished after insert');
      return stored;
    },
  };
}
export type NotificationsRepo = ReturnType<typeof notificationsRepo>;

function toConversationSetting(r: NotificationConversationsTable): ConversationSetting {
  return {
    conversationId: r.conversationId,
    mutedUntil: r.mutedUntil === null ? null : Number(r.mutedUntil),
    mutedForever: r.mutedForever === 1,
    hidePreview: r.hidePreview === 1,
  };
}
