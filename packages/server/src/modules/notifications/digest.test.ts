import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectSocket, createOrgWithUsers, describeApp, listen } from '../../test/auth.js';
import { DIGEST_SWEEP_TASK, DIGEST_TASK } from './digest.js';
import { notificationsRepo } from './notifications.repo.js';
import { call, group, type Person, person, renew, send, waitFor } from './test/helpers.js';
import { parseMail, startSmtpSink } from './test/smtp-sink.js';

const smtp = await startSmtpSink();
afterAll(() => smtp.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Email digests through a real SMTP server: only Erin qualifies (offline, 6 unread, not muted). Finn has
 * 4 unread, Gina is online, Hank muted the conversation; none of them gets an email.
 */
describeApp(
  'notifications: email digest',
  (ctx) => {
    let sender: Person;
    let erin: Person;
    let finn: Person;
    let gina: Person;
    let hank: Person;
    let launch: string;
    let socket: Socket | undefined;
    let url: string;
    const lastText = 'Final call: the <release> notes & changelog are ready for review';

    const outcome = async (who: Person) => {
      const repo = notificationsRepo(ctx().platform.database.db);
      const day = Math.floor(ctx().platform.clock.now() / DAY);
      return repo.delivery(`email:digest:${who.user.id}:${day}`);
    };
    /**
     * Run the hourly sweep now and wait until it and every digest task queued this hour (for anyone, not
     * only `people`) have finished, so no digest of this sweep can still send a mail after the test counts
     * them. The hourly schedule watches the same clock and may run its own sweep after `advance`; both queue
     * a person's digest under the hour's idempotency key, so the wait looks for that task, whoever queued it.
     */
    const sweep = async (...people: Person[]) => {
      const { jobs, clock } = ctx().platform;
      const key = (p: Person) => `digest:${p.user.id}:${Math.floor(clock.now() / HOUR)}`;
      const { task: run } = await jobs.submit({ type: DIGEST_SWEEP_TASK, payload: {} });
      const finished = (state: string) => state === 'succeeded' || state === 'failed' || state === 'dead';
      await waitFor(
        async () => {
          if (!finished((await jobs.get(run.id))?.state ?? '')) return false;
          const all = (await jobs.list({ type: DIGEST_TASK, limit: 100 })).items;
          return (
            all.every((t) => finished(t.state)) &&
            people.every((p) => all.some((t) => t.idempotencyKey === key(p) && t.state === 'succeeded'))
          );
        },
        { what: 'the digest sweep and every digest it queued' },
      );
      const now = await Promise.all(people.map(outcome));
      return Object.fromEntries(
        people.map((p, i) => [p.user.displayName, now[i]?.status === 'delivered' ? 'delivered' : now[i]?.reason]),
      );
    };
    /**
     * Move the clock while Gina stays online, as her app would across hours: it reconnects with a fresh
     * token. The server closes a socket whose token expired, and the presence sweep drops a device whose
     * heartbeats stopped, each on a real-time timer of its own; without this, either could turn Gina
     * offline after the jump, and she would get a digest like anyone away.
     */
    const advance = async (ms: number) => {
      const { platform, clock } = ctx();
      clock.advance(ms);
      socket?.close();
      await renew(platform, gina);
      const fresh = await connectSocket(url, gina.tokens.accessToken);
      socket = fresh;
      await waitFor(
        async () => {
          const ids = (await platform.presence.get(gina.user.orgId, gina.user.id))?.connections.map((c) => c.id);
          return ids?.length === 1 && ids[0] === fresh.id;
        },
        { what: "Gina's new socket as her only device" },
      );
    };

    beforeAll(async () => {
      const { app, platform } = ctx();
      const org = await createOrgWithUsers(platform);
      sender = await person(platform, org.org.id, 'Sender');
      erin = await person(platform, org.org.id, 'Erin');
      finn = await person(platform, org.org.id, 'Finn');
      gina = await person(platform, org.org.id, 'Gina');
      hank = await person(platform, org.org.id, 'Hank');
      launch = await group(app, sender, 'Launch', [erin, gina, hank]);
      const small = await group(app, sender, 'Small', [finn]);
      await call(app, hank, 'PATCH', `/api/v1/me/notification-settings/conversations/${launch}`, {
        mutedUntil: 'forever',
      });
      for (let i = 1; i <= 5; i++) await send(app, sender, launch, `Update ${i} on the launch`);
      await send(app, sender, launch, lastText);
      for (let i = 1; i <= 4; i++) await send(app, sender, small, `Small talk ${i}`);
      // Everyone was offline when the messages came; Gina comes back before the digest runs.
      const repo = notificationsRepo(platform.database.db);
      await waitFor(async () => (await repo.deliveries(org.org.id, finn.user.id, 10)).length === 4);
      url = await listen(app);
      socket = await connectSocket(url, gina.tokens.accessToken);
      await waitFor(async () => (await platform.presence.get(org.org.id, gina.user.id))?.connections.length);
    });
    afterAll(() => {
      socket?.close();
    });

    it('sends one digest with sender, preview and link, as text and HTML; nobody else gets one', async () => {
      const { platform } = ctx();
      const before = smtp.mails.length;
      expect(await sweep(erin, finn, gina, hank)).toEqual({
        Erin: 'delivered',
        Finn: 'below_threshold',
        Gina: 'online',
        Hank: 'below_threshold',
      });
      const mails = smtp.mails.slice(before);
      expect(mails.map((m) => m.to)).toEqual([[erin.user.email]]);
      const mail = parseMail(mails[0]?.raw ?? '');
      expect(mail.headers.subject).toBe('6 unread messages on Switchboard');
      const link = `${platform.config.publicUrl}/messenger/${launch}`;
      expect(mail.text).toContain('Hi Erin,');
      expect(mail.text).toContain('Launch (6 unread · latest from Sender)');
      expect(mail.text).toContain(`"${lastText}"`);
      expect(mail.text).toContain(`Open the conversation: ${link}`);
      expect(mail.html).toContain('Final call: the &lt;release&gt; notes &amp; changelog are ready for review');
      expect(mail.html).toContain(`<a href="${link}">Open the conversation</a>`);
      const unsubscribe = /Unsubscribe from email notifications: (\S+)/.exec(mail.text)?.[1] ?? '';
      expect(mail.html).toContain(`<a href="${unsubscribe.replace(/&/g, '&amp;')}">`);
      const token = new URL(unsubscribe).searchParams.get('token');
      expect(unsubscribe).toBe(`${platform.config.publicUrl}/unsubscribe?token=${token}`);
      expect(mail.headers['list-unsubscribe']).toBe(
        `<${platform.config.publicUrl}/api/v1/notifications/unsubscribe?token=${token}>`,
      );
    });

    it('sends at most one digest a day', async () => {
      const { platform } = ctx();
      await advance(2 * HOUR);
      const before = smtp.mails.length;
      expect((await sweep(erin)).Erin).toBe('delivered'); // the day's record stays "delivered"
      expect(smtp.mails.length).toBe(before);
      const row = await outcome(erin);
      expect(row?.attempts).toBe(1);
      expect(platform.clock.now() - Number(row?.createdAt)).toBe(2 * HOUR);
    });

    it('honours the unsubscribe link: email off, no digest the next day', async () => {
      const { app, platform } = ctx();
      const mail = parseMail(smtp.mails.find((m) => m.to.includes(erin.user.email))?.raw ?? '');
      const link = new URL(/<([^>]+)>/.exec(mail.headers['list-unsubscribe'] ?? '')?.[1] ?? '');
      const forged = await app.inject({ url: `${link.pathname}?token=${link.searchParams.get('token')}x` });
      expect(forged.statusCode).toBe(401);
      expect(forged.json()).toMatchObject({ code: 'token_invalid' });
      const res = await app.inject({ url: `${link.pathname}${link.search}` });
      expect(res.statusCode).toBe(200);
      await renew(platform, erin);
      expect(await call(app, erin, 'GET', '/api/v1/me/notification-settings')).toMatchObject({
        email: false,
        push: true,
      });
      await advance(DAY);
      const before = smtp.mails.length;
      expect((await sweep(erin)).Erin).toBe('email_off');
      expect(smtp.mails.length).toBe(before);
    });
  },
  { SMTP_URL: smtp.url, SMTP_FROM: 'Switchboard <digest@switchboard.test>' },
);
