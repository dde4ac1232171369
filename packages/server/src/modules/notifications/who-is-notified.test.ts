import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectSocket, createOrgWithUsers, describeApp, listen } from '../../test/auth.js';
import { call, direct, group, type Person, person, pushOutcomes, renew, send, waitFor } from './test/helpers.js';

/**
 * The settings matrix: one message to a group whose members each have different settings, and exactly the
 * right people get a push (here: reach the send step, recorded as `no_subscription` since none subscribed);
 * everyone else is skipped with the reason that applies. The app clock stands at 2030-01-01 00:00 UTC.
 */
describeApp('notifications: who gets a push', (ctx) => {
  const names = [
    'Plain',
    'Online',
    'PushOff',
    'MutedForever',
    'MutedKeyword',
    'MutedSubstring',
    'MutedUntilLater',
    'MuteExpired',
    'Mia Mention',
    'QuietNow',
    'QuietLater',
    'Hidden',
  ] as const;
  let sender: Person;
  const p = {} as Record<(typeof names)[number], Person>;
  let groupId: string;
  let socket: Socket | undefined;

  beforeAll(async () => {
    const { app, platform } = ctx();
    const org = await createOrgWithUsers(platform);
    sender = await person(platform, org.org.id, 'Sender');
    for (const n of names) p[n] = await person(platform, org.org.id, n);
    groupId = await group(app, sender, 'Launch', Object.values(p));
    const now = platform.clock.now();
    const settings = '/api/v1/me/notification-settings';
    const mute = (who: Person, body: object) => call(app, who, 'PATCH', `${settings}/conversations/${groupId}`, body);
    await call(app, p.PushOff, 'PATCH', settings, { push: false });
    await mute(p.MutedForever, { mutedUntil: 'forever' });
    await call(app, p.MutedKeyword, 'PATCH', settings, { keywords: ['outage'] });
    await mute(p.MutedKeyword, { mutedUntil: 'forever' });
    await call(app, p.MutedSubstring, 'PATCH', settings, { keywords: ['age'] });
    await mute(p.MutedSubstring, { mutedUntil: 'forever' });
    await mute(p.MutedUntilLater, { muteForMs: 8 * 3_600_000 });
    await mute(p.MuteExpired, { mutedUntil: now - 1 });
    await mute(p['Mia Mention'], { mutedUntil: 'forever' });
    // 00:00 UTC is 01:00 in Berlin: inside 23:00–07:00, outside 08:00–17:00 UTC.
    await call(app, p.QuietNow, 'PATCH', settings, {
      quietHours: { start: '23:00', end: '07:00', timezone: 'Europe/Berlin' },
    });
    await call(app, p.QuietLater, 'PATCH', settings, { quietHours: { start: '08:00', end: '17:00', timezone: 'UTC' } });
    await mute(p.Hidden, { hidePreview: true });
    socket = await connectSocket(await listen(app), p.Online.tokens.accessToken);
    await waitFor(async () => (await platform.presence.get(org.org.id, p.Online.user.id))?.connections.length);
  });
  afterAll(() => {
    socket?.close();
  });

  it('mute, keywords, mentions, quiet hours, push off and a live socket decide exactly who is notified', async () => {
    const { app, platform } = ctx();
    const message = await send(app, sender, groupId, 'Heads up @Mia Mention: the outage page is live');
    expect(await pushOutcomes(platform, message.id, Object.values(p))).toEqual({
      Plain: 'no_subscription',
      Online: 'online',
      PushOff: 'push_off',
      MutedForever: 'muted',
      MutedKeyword: 'no_subscription',
      MutedSubstring: 'muted',
      MutedUntilLater: 'muted',
      MuteExpired: 'no_subscription',
      'Mia Mention': 'no_subscription',
      QuietNow: 'quiet_hours',
      QuietLater: 'no_subscription',
      Hidden: 'no_subscription',
    });
  });

  it('a timed mute ends on time, quiet hours follow the clock in their own time zone', async () => {
    const { app, platform, clock } = ctx();
    clock.advance(8 * 3_600_000);
    await renew(platform, sender, ...Object.values(p));
    // 08:00 UTC: QuietNow's Berlin night is over (09:00), QuietLater's 08:00–17:00 UTC window has begun.
    const message = await send(app, sender, groupId, 'Morning all');
    const outcomes = await pushOutcomes(platform, message.id, Object.values(p));
    expect(outcomes).toMatchObject({
      MutedUntilLater: 'no_subscription',
      MutedKeyword: 'muted',
      'Mia Mention': 'muted',
      QuietNow: 'no_subscription',
      QuietLater: 'quiet_hours',
    });
  });

  it('a mention counts only in a group; in a direct conversation the mute holds', async () => {
    const { app, platform } = ctx();
    const dm = await direct(app, sender, p['Mia Mention']);
    await call(app, p['Mia Mention'], 'PATCH', `/api/v1/me/notification-settings/conversations/${dm}`, {
      mutedUntil: 'forever',
    });
    const message = await send(app, sender, dm, '@Mia Mention are you there?');
    expect(await pushOutcomes(platform, message.id, [p['Mia Mention']])).toEqual({ 'Mia Mention': 'muted' });
  });

  it('the sender is never notified of their own message; each user sees only their own records', async () => {
    const { app } = ctx();
    const mine = await call<{ items: unknown[] }>(app, sender, 'GET', '/api/v1/me/notification-deliveries');
    expect(mine.items).toEqual([]);
    const plain = await call<{ items: { status: string; reason: string | null }[] }>(
      app,
      p.Plain,
      'GET',
      '/api/v1/me/notification-deliveries?limit=100',
    );
    expect(plain.items.length).toBeGreaterThanOrEqual(2);
    expect(plain.items.map((i) => i.reason)).toEqual(['no_subscription', 'no_subscription']);
  });
});
