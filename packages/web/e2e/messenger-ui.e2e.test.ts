import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, openPage, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/**
 * The message list in a real browser: "read by N" in a group, a few hundred messages virtualized and paged in
 * when scrolled up, day separators. The server runs on a clock the test can set back, so messages can be
 * written "two days ago" through the real API.
 */

const DAY = 86_400_000;

describe.skipIf(!webBuilt && !process.env.CI)('messenger list end to end (Chromium)', { timeout: 90_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const contexts: BrowserContext[] = [];
  // Real time plus an offset the test moves forward only (tokens and rate buckets follow the same clock).
  let offset = 0;
  const clock = { now: () => Date.now() + offset };

  const newPage = () => openPage(browser, contexts);

  async function api(email: string) {
    const { accessToken } = await loginAs(app, email);
    const headers = { authorization: `Bearer ${accessToken}` };
    return {
      async group(name: string, memberIds: string[]): Promise<string> {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/conversations',
          headers,
          payload: { kind: 'group', name, memberIds },
        });
        expect(res.statusCode, res.body).toBeLessThan(300);
        return res.json().conversation.id as string;
      },
      async send(conversationId: string, text: string): Promise<number> {
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/conversations/${conversationId}/messages`,
          headers,
          payload: { clientMsgId: randomUUID(), text },
        });
        expect(res.statusCode, res.body).toBeLessThan(300);
        return res.json().message.seq as number;
      },
      async read(conversationId: string, seq: number) {
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/conversations/${conversationId}/read`,
          headers,
          payload: { seq },
        });
        expect(res.statusCode, res.body).toBeLessThan(300);
      },
    };
  }

  beforeAll(async () => {
    // A small sync gap: the SDK reloads only the newest 100 of a long conversation, so the rest must come in
    // as history pages when the reader scrolls up.
    ({ app, base, org } = await startWebServer('e2e-list', { MESSENGER_SYNC_MAX_GAP: '100' }, { clock }));
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await closeBrowser?.();
    await app?.close();
  });

  it('day separators: messages from two days ago, yesterday and today, each day labelled once', async () => {
    offset = -2 * DAY;
    const sup = await api(org.emails.supervisor);
    const id = await sup.group('Across days', [org.users.agent.id]);
    await sup.send(id, 'two days ago, first');
    await sup.send(id, 'two days ago, second');
    offset = -DAY;
    await (await api(org.emails.agent)).send(id, 'yesterday');
    offset = 0;
    await (await api(org.emails.supervisor)).send(id, 'today');

    const page = await newPage();
    await signIn(page, base, org.emails.agent, TEST_PASSWORD);
    await page.getByTestId('conversation-row').filter({ hasText: 'Across days' }).click();
    await page.getByTestId('message-text').getByText('today').waitFor();
    const labels = await page.getByTestId('day-separator').allTextContents();
    expect(labels).toHaveLength(3);
    expect(labels.slice(1)).toEqual(['Yesterday', 'Today']);
    expect(labels[0]).toContain(new Date(Date.now() - 2 * DAY).getFullYear().toString());
    // Two messages of one sender within 5 minutes: one name for the run (blank until the name is loaded).
    await page.getByTestId('sender-name').filter({ hasText: 'supervisor of e2e-list' }).first().waitFor();
    expect(await page.getByTestId('sender-name').allTextContents()).toEqual([
      'supervisor of e2e-list',
      'supervisor of e2e-list',
    ]);
    await shot(page, '20-day-separators');
  });

  it('a group message shows ✓ sent, then "read by 1", then "read by 2" as members read it', async () => {
    const id = await (await api(org.emails.supervisor)).group('Read receipts', [
      org.users.agent.id,
      org.users.admin.id,
    ]);
    const page = await newPage();
    await signIn(page, base, org.emails.supervisor, TEST_PASSWORD);
    await page.getByTestId('conversation-row').filter({ hasText: 'Read receipts' }).click();
    await page.getByTestId('composer').fill('Please read this');
    await page.getByTestId('composer').press('Enter');
    const tick = page.getByTestId('message').filter({ hasText: 'Please read this' }).getByTestId('tick');
    await expect.poll(() => tick.getAttribute('data-state')).toBe('sent');
    expect(await tick.textContent()).toBe('✓');

    const seq = Number(await page.getByTestId('message-row').last().getAttribute('data-seq'));
    expect(seq).toBeGreaterThan(0);
    await (await api(org.emails.agent)).read(id, seq);
    await expect.poll(() => tick.getAttribute('aria-label')).toBe('Read by 1');
    await (await api(org.emails.admin)).read(id, seq);
    await expect.poll(() => tick.getAttribute('aria-label')).toBe('Read by 2');
    expect(await tick.getAttribute('data-state')).toBe('read');
    expect(await tick.textContent()).toBe('✓✓ read by 2');
    await shot(page, '21-read-by-2');
  });

  it('deleting a message asks first: Cancel keeps it, Delete removes it', async () => {
    const id = await (await api(org.emails.supervisor)).group('Delete confirm', [org.users.agent.id]);
    await (await api(org.emails.supervisor)).send(id, 'keep me unless confirmed');
    const page = await newPage();
    await signIn(page, base, org.emails.supervisor, TEST_PASSWORD);
    await page.getByTestId('conversation-row').filter({ hasText: 'Delete confirm' }).click();
    const mine = page.getByTestId('message').filter({ hasText: 'keep me unless confirmed' });
    const openDelete = async () => {
      await mine.hover();
      await mine.getByRole('button', { name: 'Message actions' }).click();
      await page.getByRole('menuitem', { name: 'Delete' }).click();
    };
    await openDelete();
    const dialog = page.getByRole('dialog', { name: 'Delete message?' });
    await dialog.waitFor();
    await shot(page, '22-delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await mine.getByTestId('message-text').textContent()).toContain('keep me unless confirmed');

    await openDelete();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByTestId('message-text')
      .filter({ hasText: 'keep me unless confirmed' })
      .waitFor({ state: 'detached' });
  });

  it('300 messages: opens at the newest, keeps few rows in the DOM, reaches the first by scrolling up', async () => {
    const sup = await api(org.emails.supervisor);
    const id = await sup.group('Three hundred', [org.users.agent.id]);
    // Twenty at a time (the order of seq within a batch does not matter here: rows are checked by seq).
    for (let i = 0; i < 300; i += 20)
      await Promise.all(Array.from({ length: 20 }, (_, k) => sup.send(id, `filler message ${i + k + 1}`)));

    const page = await newPage();
    await signIn(page, base, org.emails.agent, TEST_PASSWORD);
    await page.getByTestId('conversation-row').filter({ hasText: 'Three hundred' }).click();
    const list = page.getByTestId('message-list');
    const row = (seq: number) => list.locator(`[data-testid=message-row][data-seq="${seq}"]`);
    await row(300).waitFor();
    const gap = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await expect.poll(gap).toBeLessThan(5);
    const count = async () => Number(await list.getAttribute('data-count'));
    const loadedAtOpen = await count();
    const rendered = await page.getByTestId('message').count();
    console.info(`[messenger-ui] 300 messages: ${loadedAtOpen} loaded at open, ${rendered} rows in the DOM`);
    expect(loadedAtOpen).toBeLessThan(300);
    expect(rendered).toBeLessThan(60);

    // At the top, the previous page comes in above and the message that was on top stays in view.
    // The oldest message loaded at open is the one right under the head once scrolled to the top (read from
    // the count, not the DOM: the older page may already be in by the time the DOM is read).
    const topSeq = 301 - loadedAtOpen;
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await row(topSeq).waitFor();
    await expect.poll(count).toBeGreaterThan(loadedAtOpen);
    await expect.poll(() => list.evaluate((el) => el.scrollTop)).toBeGreaterThan(500);
    // It stays where it was on screen, right under the head (48 px), once the rows above are measured
    const offsetInView = () =>
      list.evaluate((el, seq) => {
        const row = el.querySelector(`[data-seq="${seq}"]`);
        return row ? Math.round(row.getBoundingClientRect().top - el.getBoundingClientRect().top - el.clientTop) : null;
      }, topSeq);
    // (within 2 px: sub-pixel row heights round)
    await expect.poll(async () => Math.abs(((await offsetInView()) ?? 1e9) - 48)).toBeLessThanOrEqual(2);
    // Keep scrolling up, as a reader would, to the very first message.
    for (let i = 0; i < 100 && !(await row(1).count()); i++) {
      await list.evaluate((el) => el.scrollBy({ top: -1500 }));
      await page.waitForTimeout(40);
    }
    await row(1).waitFor();
    await page.getByText('This is the beginning of the conversation.').waitFor();
    expect(await count()).toBe(300);
    expect(await page.getByTestId('message').count()).toBeLessThan(60);
    await shot(page, '22-three-hundred-top');

    // Scrolled away from the bottom, a new message does not pull the view down.
    const top = await list.evaluate((el) => el.scrollTop);
    await sup.send(id, 'filler message 301');
    await expect.poll(() => list.getAttribute('data-count')).toBe('301');
    expect(await list.evaluate((el) => el.scrollTop)).toBe(top);
  }, 150_000);
});
