import { randomBytes } from 'node:crypto';
import { NOTIFICATION_KEYWORDS_MAX } from '@switchboard/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { createPlatform } from '../../platform/platform.js';
import { createOrgWithUsers, describeApp } from '../../test/auth.js';
import { manualClock } from '../../test/clock.js';
import { testConfig } from '../../test/config.js';
import { notificationsRepo } from './notifications.repo.js';
import { isPushServiceHost } from './notifications.service.js';
import { vapidKeys } from './push.sender.js';
import { inQuietHours, preview } from './rules.js';
import { call, group, type Person, person } from './test/helpers.js';

const validSub = () => ({
  endpoint: `https://push.example.test/${randomBytes(8).toString('hex')}`,
  keys: { p256dh: webpush.generateVAPIDKeys().publicKey, auth: randomBytes(16).toString('base64url') },
});

describeApp(
  'notifications: settings API',
  (ctx) => {
    let me: Person;
    let other: Person;
    let conv: string;
    const url = '/api/v1/me/notification-settings';

    beforeAll(async () => {
      const { app, platform } = ctx();
      const org = await createOrgWithUsers(platform);
      me = await person(platform, org.org.id, 'Me');
      other = await person(platform, org.org.id, 'Other');
      conv = await group(app, me, 'Mine', []);
    });

    it('starts from the defaults and changes only the fields given', async () => {
      const { app } = ctx();
      expect(await call(app, me, 'GET', url)).toEqual({ push: true, email: true, quietHours: null, keywords: [] });
      await call(app, me, 'PATCH', url, { keywords: ['Outage', 'outage ', 'invoice'] });
      const after = await call(app, me, 'PATCH', url, {
        email: false,
        quietHours: { start: '22:30', end: '06:00', timezone: 'America/New_York' },
      });
      expect(after).toEqual({
        push: true,
        email: false,
        quietHours: { start: '22:30', end: '06:00', timezone: 'America/New_York' },
        keywords: ['Outage', 'outage', 'invoice'],
      });
      expect(await call(app, me, 'PATCH', url, { quietHours: null })).toMatchObject({ quietHours: null, email: false });
    });

    it('refuses bad input with validation_failed and explicit limits', async () => {
      const { app } = ctx();
      const bad = async (path: string, payload: unknown, method: 'PATCH' | 'POST' = 'PATCH') =>
        expect(await call(app, me, method, path, payload, 400)).toMatchObject({ code: 'validation_failed' });
      await bad(url, { keywords: Array.from({ length: NOTIFICATION_KEYWORDS_MAX + 1 }, (_, i) => `word${i}`) });
      await bad(url, { keywords: ['x'] });
      await bad(url, { quietHours: { start: '22:00', end: '07:00', timezone: 'Mars/Olympus' } });
      await bad(url, { quietHours: { start: '25:00', end: '07:00', timezone: 'UTC' } });
      await bad(url, { quietHours: { start: '07:00', end: '07:00', timezone: 'UTC' } });
      await bad(url, { push: 'yes' });
      await bad(url, { unknown: true });
      const convUrl = `${url}/conversations/${conv}`;
      await bad(convUrl, { muteForMs: 367 * 86_400_000 });
      await bad(convUrl, { muteForMs: 60_000, mutedUntil: 'forever' });
      await bad(convUrl, { mutedUntil: 'tomorrow' });
      await bad('/api/v1/me/push-subscriptions', { ...validSub(), endpoint: 'http://push.example.test/x' }, 'POST');
      await bad('/api/v1/me/push-subscriptions', { ...validSub(), keys: { p256dh: 'short', auth: 'x' } }, 'POST');
    });

    it('refuses a push endpoint outside the push services (the server would post to it)', async () => {
      const { app } = ctx();
      for (const endpoint of [
        'https://127.0.0.1:6379/x',
        'https://push.example.test.evil.io/x',
        'https://example.test/x',
      ]) {
        const res = await call(app, me, 'POST', '/api/v1/me/push-subscriptions', { ...validSub(), endpoint }, 400);
        expect(res).toMatchObject({ code: 'bad_request', detail: expect.stringContaining('PUSH_SERVICE_HOSTS') });
      }
    });

    it('mutes for a time or forever, unmutes, and lists my conversation settings; non-members get 404', async () => {
      const { app, platform } = ctx();
      const convUrl = `${url}/conversations/${conv}`;
      const now = platform.clock.now();
      expect(await call(app, me, 'PATCH', convUrl, { muteForMs: 3_600_000 })).toEqual({
        conversationId: conv,
        mutedUntil: now + 3_600_000,
        hidePreview: false,
      });
      expect(await call(app, me, 'PATCH', convUrl, { mutedUntil: 'forever', hidePreview: true })).toMatchObject({
        mutedUntil: 'forever',
        hidePreview: true,
      });
      expect(await call(app, me, 'GET', `${url}/conversations`)).toEqual({
        items: [{ conversationId: conv, mutedUntil: 'forever', hidePreview: true }],
      });
      expect(await call(app, me, 'PATCH', convUrl, { mutedUntil: null })).toMatchObject({ mutedUntil: null });
      expect(await call(app, other, 'PATCH', convUrl, { mutedUntil: 'forever' }, 404)).toMatchObject({
        code: 'not_found',
      });
    });

    it('registers a subscription once per endpoint (moving it to whoever registered last) and removes it', async () => {
      const { app, platform } = ctx();
      const sub = validSub();
      expect(await call(app, me, 'POST', '/api/v1/me/push-subscriptions', sub, 201)).toMatchObject({ created: true });
      expect(await call(app, me, 'POST', '/api/v1/me/push-subscriptions', sub, 200)).toMatchObject({ created: false });
      await call(app, other, 'POST', '/api/v1/me/push-subscriptions', sub, 200);
      const repo = notificationsRepo(platform.database.db);
      expect(await repo.subscriptions(me.user.orgId, me.user.id)).toEqual([]);
      await call(app, me, 'DELETE', '/api/v1/me/push-subscriptions', { endpoint: sub.endpoint }, 404);
      await call(app, other, 'DELETE', '/api/v1/me/push-subscriptions', { endpoint: sub.endpoint }, 204);
      expect(await repo.subscriptions(other.user.orgId, other.user.id)).toEqual([]);
    });

    it('publishes one VAPID public key, generated once and kept in the database', async () => {
      const { app, platform } = ctx();
      const first = (await app.inject({ url: '/api/v1/notifications/vapid-public-key' })).json() as {
        publicKey: string;
      };
      const second = (await app.inject({ url: '/api/v1/notifications/vapid-public-key' })).json() as {
        publicKey: string;
      };
      expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
      expect(second).toEqual(first);
      expect((await notificationsRepo(platform.database.db).vapidKeys())?.publicKey).toBe(first.publicKey);
    });
  },
  { PUSH_SERVICE_HOSTS: '*.example.test' },
);

describe('notifications: configured VAPID keys and time rules', () => {
  it('uses VAPID keys from the config instead of generating any', async () => {
    const keys = webpush.generateVAPIDKeys();
    const config = testConfig({ VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey });
    const platform = await createPlatform(config, { clock: manualClock() });
    try {
      const repo = notificationsRepo(platform.database.db);
      expect(await vapidKeys(config.notifications, repo, 0)).toEqual(keys);
      expect(await repo.vapidKeys()).toBeUndefined();
    } finally {
      await platform.close();
    }
  });

  it('refuses half a VAPID key pair at boot', () => {
    expect(() => testConfig({ VAPID_PUBLIC_KEY: webpush.generateVAPIDKeys().publicKey })).toThrow(/VAPID_PRIVATE_KEY/);
  });

  it('quiet hours wrap past midnight in the given time zone', () => {
    const q = { start: '22:00', end: '07:00', timezone: 'Asia/Tokyo' }; // UTC+9, no DST
    expect(inQuietHours(q, Date.UTC(2030, 0, 1, 12, 59))).toBe(false); // 21:59 in Tokyo
    expect(inQuietHours(q, Date.UTC(2030, 0, 1, 13, 0))).toBe(true); // 22:00
    expect(inQuietHours(q, Date.UTC(2030, 0, 1, 21, 59))).toBe(true); // 06:59
    expect(inQuietHours(q, Date.UTC(2030, 0, 1, 22, 0))).toBe(false); // 07:00
    expect(inQuietHours(null, 0)).toBe(false);
  });

  it('previews cut at a code point with an ellipsis, collapsing whitespace', () => {
    expect(preview('short', 100)).toBe('short');
    expect(preview(`${'🙂'.repeat(120)}`, 100)).toBe(`${'🙂'.repeat(99)}…`);
    expect(preview('a\n\n  b', 100)).toBe('a b');
  });
});

describe('push service hosts', () => {
  it("allows the browsers' push services by default and nothing that only looks like them", () => {
    const hosts = testConfig().notifications.pushServiceHosts;
    for (const ok of [
      'https://fcm.googleapis.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/abc',
      'https://wns2-bn3p.notify.windows.com/w/?token=abc',
      'https://web.push.apple.com/abc',
    ])
      expect(isPushServiceHost(ok, hosts), ok).toBe(true);
    for (const no of [
      'https://localhost/x',
      'https://10.0.0.1/x',
      'https://evilfcm.googleapis.com/x',
      'https://fcm.googleapis.com.evil.test/x',
      'https://evilpush.apple.com/x',
    ])
      expect(isPushServiceHost(no, hosts), no).toBe(false);
  });

  it('reads PUSH_SERVICE_HOSTS as a comma-separated list and refuses a malformed one', () => {
    expect(
      testConfig({ PUSH_SERVICE_HOSTS: ' Push.Example.com , *.corp.test ' }).notifications.pushServiceHosts,
    ).toEqual(['push.example.com', '*.corp.test']);
    expect(() => testConfig({ PUSH_SERVICE_HOSTS: 'https://x.test/' })).toThrow(/PUSH_SERVICE_HOSTS/);
    expect(() => testConfig({ PUSH_SERVICE_HOSTS: ' , ' })).toThrow(/PUSH_SERVICE_HOSTS/);
  });
});
