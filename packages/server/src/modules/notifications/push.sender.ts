import type https from 'node:https';
import type { PushPayload } from '@switchboard/protocol';
import webpush from 'web-push';
import type { NotificationConfig } from '../../config.js';
import type { NotificationsRepo, StoredSubscription } from './notifications.repo.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * The VAPID key pair: from the config when set, else generated once and stored in the database, so every
 * node of a cluster (and every restart) signs with the same key and browsers keep their subscriptions.
 */
export async function vapidKeys(config: NotificationConfig, repo: NotificationsRepo, now: number): Promise<VapidKeys> {
  if (config.vapid.publicKey && config.vapid.privateKey) {
    return { publicKey: config.vapid.publicKey, privateKey: config.vapid.privateKey };
  }
  return (await repo.vapidKeys()) ?? repo.saveVapidKeys(webpush.generateVAPIDKeys(), now);
}

/** What became of one push: `gone` (404 / 410) means the subscription must be removed. */
export type PushResult =
  | { outcome: 'delivered'; status: number }
  | { outcome: 'gone'; status: number }
  | { outcome: 'failed'; reason: string; retryable: boolean };

export interface PushSender {
  send(subscription: StoredSubscription, payload: PushPayload, keys: VapidKeys): Promise<PushResult>;
}

/**
 * Web Push over HTTPS with `web-push` (RFC 8291 aes128gcm payload, RFC 8292 VAPID). `agent` lets a test
 * trust its own local push service's certificate.
 */
export function webPushSender(subject: string, opts: { agent?: https.Agent; timeoutMs?: number } = {}): PushSender {
  return {
    async send(subscription, payload, keys) {
      try {
        const res = await webpush.sendNotification(
          { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
          JSON.stringify(payload),
          {
            vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
            TTL: 24 * 3600,
            timeout: opts.timeoutMs ?? 10_000,
            contentEncoding: 'aes128gcm',
            urgency: 'high',
            ...(opts.agent ? { agent: opts.agent } : {}),
          },
        );
        return { outcome: 'delivered', status: res.statusCode };
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) return { outcome: 'gone', status };
        if (typeof status === 'number') {
          // 429 and 5xx are the push service's trouble; other 4xx will not get better by retrying.
          return { outcome: 'failed', reason: `http_${status}`, retryable: status === 429 || status >= 500 };
        }
        const code = (err as { code?: string }).code ?? 'network_error';
        return { outcome: 'failed', reason: code.toLowerCase(), retryable: true };
      }
    },
  };
}
