import { PushPayloadSchema } from '@switchboard/protocol';
import { importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrgWithUsers, describeApp } from '../../test/auth.js';
import { notificationsRepo } from './notifications.repo.js';
import { call, group, type Person, person, send, waitFor } from './test/helpers.js';
import { browserKeys, startPushService } from './test/push-service.js';

const pushService = await startPushService();
afterAll(() => pushService.close());

/** A browser subscribing `who` at the local push service under `name`; returns its decryptor. */
async function subscribe(app: Parameters<typeof call>[0], who: Person, name: string) {
  const keys = browserKeys();
  await call(
    app,
    who,
    'POST',
    '/api/v1/me/push-subscriptions',
    { endpoint: pushService.endpoint(name), keys: { p256dh: keys.p256dh, auth: keys.auth } },
    201,
  );
  return keys;
}

const pushesTo = (name: string) => pushService.received.filter((r) => r.name === name);

describeApp(
  'notifications: web push to a local push service',
  (ctx) => {
    let sender: Person;
    let ann: Person;
    let bob: Person;
    let dave: Person;
    let groupId: string;
    let annKeys: ReturnType<typeof browserKeys>;
    let bobKeys: ReturnType<typeof browserKeys>;
    const tag = Math.random().toString(36).slice(2, 8);
    const ep = (n: string) => `${n}-${tag}`;

    beforeAll(async () => {
      const { app, platform } = ctx();
      const org = await createOrgWithUsers(platform);
      sender = await person(platform, org.org.id, 'Sender');
      ann = await person(platform, org.org.id, 'Ann');
      bob = await person(platform, org.org.id, 'Bob');
      dave = await person(platform, org.org.id, 'Dave');
      groupId = await group(app, sender, 'Launch', [ann, bob, dave]);
      annKeys = await subscribe(app, ann, ep('ann'));
      await subscribe(app, ann, ep('ann-gone'));
      pushService.replies.set(ep('ann-gone'), 410);
      bobKeys = await subscribe(app, bob, ep('bob'));
      await call(app, bob, 'PATCH', `/api/v1/me/notification-settings/conversations/${groupId}`, { hidePreview: true });
      await subscribe(app, dave, ep('dave'));
      let daveCalls = 0;
      pushService.replies.set(ep('dave'), () => (++daveCalls === 1 ? 503 : 201));
    });

    it('delivers an encrypted payload that decrypts to the notification; 410 removes the subscription', async () => {
      const { app, platform } = ctx();
      const text = `Release train leaves at noon. ${'Please check the checklist and the rollout plan. '.repeat(3)}`;
      const message = await send(app, sender, groupId, text);
      const [push] = await waitFor(async () => pushesTo(ep('ann')).length === 1 && pushesTo(ep('ann')));
      expect(push?.headers['content-encoding']).toBe('aes128gcm');
      expect(Number(push?.headers.ttl)).toBeGreaterThan(0);
      const payload = PushPayloadSchema.parse(JSON.parse(annKeys.decrypt(push?.body ?? Buffer.alloc(0))));
      expect(payload).toEqual({
        title: 'Sender in Launch',
        body: `${Array.from(text).slice(0, 99).join('')}…`,
        conversationId: groupId,
        messageId: message.id,
        url: `/messenger/${groupId}`,
      });
      expect(Array.from(payload.body)).toHaveLength(100);

      // VAPID (RFC 8292): a JWT for the push service's origin, signed by the key the app publishes.
      const { publicKey } = (await app.inject({ url: '/api/v1/notifications/vapid-public-key' })).json() as {
        publicKey: string;
      };
      const auth = String(push?.headers.authorization);
      const [, jwt, k] = /^vapid t=([^,]+), k=(.+)$/.exec(auth) ?? [];
      expect(k).toBe(publicKey);
      const raw = Buffer.from(publicKey, 'base64url');
      const key = await importJWK(
        {
          kty: 'EC',
          crv: 'P-256',
          x: raw.subarray(1, 33).toString('base64url'),
          y: raw.subarray(33, 65).toString('base64url'),
        },
        'ES256',
      );
      const { payload: claims } = await jwtVerify(jwt ?? '', key, { algorithms: ['ES256'] });
      expect(claims.aud).toBe(new URL(pushService.endpoint('x')).origin);

      const repo = notificationsRepo(platform.database.db);
      const gone = await waitFor(async () =>
        (await repo.deliveries(ann.user.orgId, ann.user.id, 10)).find((d) => d.reason === 'gone_410'),
      );
      expect(gone).toMatchObject({ status: 'failed', messageId: message.id, channel: 'push' });
      expect((await repo.subscriptions(ann.user.orgId, ann.user.id)).map((s) => s.endpoint)).toEqual([
        pushService.endpoint(ep('ann')),
      ]);
      expect(
        (await repo.deliveries(ann.user.orgId, ann.user.id, 10)).find((d) => d.status === 'delivered'),
      ).toMatchObject({ messageId: message.id });

      // A private conversation: the push says something arrived, never what.
      const [bobPush] = await waitFor(async () => pushesTo(ep('bob')).length === 1 && pushesTo(ep('bob')));
      expect(JSON.parse(bobKeys.decrypt(bobPush?.body ?? Buffer.alloc(0)))).toMatchObject({
        title: 'Sender in Launch',
        body: 'New message',
      });

      // The next message skips the removed endpoint.
      const second = await send(app, sender, groupId, 'One more thing');
      await waitFor(async () => pushesTo(ep('ann')).length === 2);
      expect(pushesTo(ep('ann-gone'))).toHaveLength(1);
      expect(second.id).not.toBe(message.id);
    });

    it('a push the service refuses with 503 is retried by the task queue and then delivered', async () => {
      const { platform, clock } = ctx();
      const repo = notificationsRepo(platform.database.db);
      // Dave's first push (the first message) got a 503 and waits for its backoff on the test clock.
      const failed = await waitFor(async () =>
        (await repo.deliveries(dave.user.orgId, dave.user.id, 10)).find((r) => r.reason === 'http_503'),
      );
      const [sub] = await repo.subscriptions(dave.user.orgId, dave.user.id);
      const key = `push:${failed.messageId}:${dave.user.id}:${sub?.id}`;
      expect(await repo.delivery(key)).toMatchObject({ status: 'failed', attempts: 1 });
      clock.advance(10 * 60_000);
      const retried = await waitFor(async () => {
        const row = await repo.delivery(key);
        return row?.status === 'delivered' && row;
      });
      expect(retried.attempts).toBe(2);
    });
  },
  { PUSH_SERVICE_HOSTS: '127.0.0.1' },
);
