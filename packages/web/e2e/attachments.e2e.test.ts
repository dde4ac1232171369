import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/**
 * Attachments in a real browser: an image picked with the paperclip uploads, is sent, and shows its
 * thumbnail (made by the background task); a file whose name is HTML shows that name as text and runs
 * nothing.
 */

const HOSTILE_NAME = '<img src=x onerror=alert(1)>.txt';

describe.skipIf(!webBuilt && !process.env.CI)('attachments end to end (Chromium)', { timeout: 90_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const dialogs: string[] = [];

  beforeAll(async () => {
    ({ app, base, org } = await startWebServer('e2e-files'));
    const sup = await loginAs(app, org.emails.supervisor);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: { authorization: `Bearer ${sup.accessToken}` },
      payload: { kind: 'group', name: 'Files e2e', memberIds: [org.users.agent.id] },
    });
    expect(res.statusCode, res.body).toBe(201);
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    await closeBrowser?.();
    await app?.close();
  });

  async function openConversation(email: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 760 } })).newPage();
    page.setDefaultTimeout(20_000);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
    await signIn(page, base, email, TEST_PASSWORD);
    await page.getByTestId('conversation-row').first().click();
    await page.getByTestId('composer').waitFor();
    return page;
  }

  it('uploads an image with the paperclip and shows its thumbnail to both members', async () => {
    const sup = await openConversation(org.emails.supervisor);
    const image = await sharp({ create: { width: 640, height: 320, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    await sup.getByTestId('composer').fill('the chart');
    await sup.getByTestId('attach-input').setInputFiles({ name: 'chart.png', mimeType: 'image/png', buffer: image });
    const thumb = sup.getByTestId('attachment-thumbnail').last();
    await thumb.waitFor();
    // A real decoded image: 300 px on the long side (the 300 px WebP thumbnail).
    await expect
      .poll(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(300);
    expect(await sup.getByTestId('message-text').last().textContent()).toBe('the chart');
    expect(await sup.getByTestId('attachment-name').last().textContent()).toBe('chart.png');
    await shot(sup, 'attachments-01-thumbnail');

    const agent = await openConversation(org.emails.agent);
    await expect
      .poll(() =>
        agent
          .getByTestId('attachment-thumbnail')
          .last()
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(300);
  });

  it('shows a file named like HTML as text and runs nothing', async () => {
    const sup = await openConversation(org.emails.supervisor);
    await sup.getByTestId('attach-input').setInputFiles({
      name: HOSTILE_NAME,
      mimeType: 'text/plain',
      buffer: Buffer.from('just notes\n'),
    });
    const name = sup.getByTestId('attachment-name').last();
    await expect.poll(() => name.textContent()).toBe(HOSTILE_NAME);
    // The message text is the name too (empty composer): text as well.
    expect(await sup.getByTestId('message-text').last().textContent()).toBe(HOSTILE_NAME);
    expect(await sup.locator('img[src="x"]').count()).toBe(0);
    await shot(sup, 'attachments-02-hostile-name');
    expect(dialogs).toEqual([]);
  });

  it('shows why a refused file was not sent', async () => {
    const sup = await openConversation(org.emails.supervisor);
    await sup.getByTestId('attach-input').setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(2)"/>'),
    });
    await sup.getByTestId('attach-error').waitFor();
    expect(await sup.getByTestId('attach-error').textContent()).toMatch(/markup|not accepted/);
    expect(dialogs).toEqual([]);
  });
});
