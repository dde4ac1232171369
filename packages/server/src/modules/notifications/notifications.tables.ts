import type { ModuleMigration } from '../../platform/db/migration.js';

/** A user's notification settings; absent row = the defaults (push and email on, no quiet hours). */
export interface NotificationSettingsTable {
  orgId: string;
  userId: string;
  push: number;
  email: number;
  /** `HH:MM` local time in `quietTimezone`; all three null = no quiet hours. */
  quietStart: string | null;
  quietEnd: string | null;
  quietTimezone: string | null;
  /** JSON array of strings. */
  keywords: string;
  /** When the last email digest went out (at most one a day). */
  lastDigestAt: number | null;
  updatedAt: number;
}

/** One user's settings for one conversation. */
export interface NotificationConversationsTable {
  orgId: string;
  userId: string;
  conversationId: string;
  /** Epoch ms; with `mutedForever` = 0, muted while now < mutedUntil. */
  mutedUntil: number | null;
  mutedForever: number;
  hidePreview: number;
  updatedAt: number;
}

/** A browser's Web Push subscription. The endpoint is globally unique (a browser profile's push channel). */
export interface PushSubscriptionsTable {
  id: string;
  orgId: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  createdAt: number;
  lastSuccessAt: number | null;
}

/**
 * Every notification attempt. `key` makes a retried task update its own record instead of adding one:
 * `push:<messageId>:<userId>[:<subscriptionId>]`, `email:digest:<userId>:<day>`.
 */
export interface NotificationDeliveriesTable {
  id: string;
  key: string;
  orgId: string;
  userId: string;
  channel: 'push' | 'email';
  status: 'delivered' | 'failed' | 'skipped';
  reason: string | null;
  conversationId: string | null;
  messageId: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

/** Deployment-wide VAPID key pair, generated once when not configured (so every node signs the same). */
export interface NotificationKeysTable {
  name: string;
  publicKey: string;
  privateKey: string;
  createdAt: number;
}

export interface NotificationsTables {
  notificationSettings: NotificationSettingsTable;
  notificationConversations: NotificationConversationsTable;
  pushSubscriptions: PushSubscriptionsTable;
  notificationDeliveries: NotificationDeliveriesTable;
  notificationKeys: NotificationKeysTable;
}

export const notificationsMigrations: ModuleMigration[] = [
  {
    name: '0800_notifications_create',
    async up(db) {
      await db.schema
        .createTable('notificationSettings')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('push', 'integer', (c) => c.notNull())
        .addColumn('email', 'integer', (c) => c.notNull())
        .addColumn('quietStart', 'text')
        .addColumn('quietEnd', 'text')
        .addColumn('quietTimezone', 'text')
        .addColumn('keywords', 'text', (c) => c.notNull())
        .addColumn('lastDigestAt', 'bigint')
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_settings_pk', ['orgId', 'userId'])
        .execute();

      await db.schema
        .createTable('notificationConversations')
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('conversationId', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
        .addColumn('mutedUntil', 'bigint')
        .addColumn('mutedForever', 'integer', (c) => c.notNull())
        .addColumn('hidePreview', 'integer', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_conversations_pk', ['userId', 'conversationId'])
        .execute();

      await db.schema
        .createTable('pushSubscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('endpoint', 'text', (c) => c.notNull().unique())
        .addColumn('p256dh', 'text', (c) => c.notNull())
        .addColumn('auth', 'text', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('lastSuccessAt', 'bigint')
        .execute();
      await db.schema.createIndex('push_subscriptions_user_idx').on('pushSubscriptions').columns(['userId']).execute();

      await db.schema
        .createTable('notificationDeliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('conversationId', 'text')
        .addColumn('messageId', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('notification_deliveries_user_idx')
        .on('notificationDeliveries')
        .columns(['userId', 'createdAt'])
        .execute();

      await db.schema
        .createTable('notificationKeys')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('publicKey', 'text', (c) => c.notNull())
        .addColumn('privateKey', 'text', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
];
