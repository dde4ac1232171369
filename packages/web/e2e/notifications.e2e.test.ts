import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtKey } from '../../server/src/modules/auth/keys.js';
import { unsubscribeTokens } from '../../server/src/modules/notifications/unsubscribe.js';
import { loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/**
 * Notifications in a real browser: the settings page changes what the server stores, and the service worker
 * turns a pushed payload into a notification for the conversation (a push delivered through Chromium's
 * DevTools protocol, since the headless browser has no push service of its own on this network).
 */

describe.skipIf(!webBuilt && !process.env.CI)('notifications end to end (Chromium)', { timeout: 90_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;

  const settings = async (email = org.emails.agent) => {
    const { accessToken } = await loginAs(app, email);
    const res = await app.inject({
      url: '/api/v1/me/notification-settings',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return res.json() as { push: boolean; email: boolean; keywords: string[] };
  };

  beforeAll(async () => {
    ({ app, base, org } = await startWebServer('e2e-notify'));
    ({ browser, close: closeBrowser } = await launchChromium());
    context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    await context.grantPermissions(['notifications'], { origin: base });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  }, 60_000);
  afterAll(async () => {
    await context?.close().catch(() => {});
    await closeBrowser?.();
    await app?.close();
  });

  it('the settings page, reached from the account menu, saves email and keyword settings', async () => {
    await signIn(page, base, org.emails.agent, TEST_PASSWORD);
    await page.getByTestId('account-menu').click();
    await page.getByTestId('notification-settings-link').click();
    await page.getByTestId('notification-settings-card').waitFor();
    expect(page.url()).toBe(`${base}/settings/notifications`);
    await page.getByTestId('setting-email').click({ force: true });
    await expect.poll(async () => (await settings()).email).toBe(false);
    const keywords = page.getByTestId('setting-keywords');
    await keywords.fill('outage');
    await keywords.press('Enter');
    await expect.poll(async () => (await settings()).keywords).toEqual(['outage']);
    await page.reload();
    await page.getByText('outage').waitFor();
    await shot(page, 'notification-settings');
  });

  it('the service worker shows a pushed message as a notification for its conversation', async () => {
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const reg = registrations.find((r) => r.scopeURL === `${base}/` && !r.isDeleted);
        if (reg) resolve(reg.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    // Evaluated in the page (a string: this file is typed for Node, not the DOM).
    await page.evaluate(
      `navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then(() => true)`,
    );
    const conversationId = '7b0f3f5e-4a53-4f7e-9a55-1d1c7f1b9a01';
    const payload = {
      title: 'Ann in Launch',
      body: 'Ready to ship?',
      conversationId,
      messageId: '0e5cbb5e-2d4c-4d1e-8c55-7c0b4a1e2f33',
      url: `/messenger/${conversationId}`,
    };
    const id = await registrationId;
    // Delivered again on each poll until it shows: a push that reaches a worker still starting is dropped,
    // and the notification's tag makes a repeat replace, not add.
    const deliver = () =>
      cdp.send('ServiceWorker.deliverPushMessage', { origin: base, registrationId: id, data: JSON.stringify(payload) });
    await expect
      .poll(
        async () => {
          await deliver();
          await page.waitForTimeout(200);
          return page.evaluate(`navigator.serviceWorker.ready
            .then((reg) => reg.getNotifications())
            .then((list) => list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))`);
        },
        { timeout: 15_000 },
      )
      .toEqual([
        {
          title: 'Ann in Launch',
          body: 'Ready to ship?',
          tag: `conversation:${conversationId}`,
          data: { url: `/messenger/${conversationId}`, messageId: payload.messageId },
        },
      ]);
  });

  it("an email's unsubscribe link works without signing in; a forged one is refused", async () => {
    const token = unsubscribeTokens(jwtKey(app.platform.config)).create(org.org.id, org.users.supervisor.id);
    const fresh = await browser.newContext();
    const visitor = await fresh.newPage();
    try {
      await visitor.goto(`${base}/unsubscribe?token=${token}x`);
      await visitor.locator('[data-testid="unsubscribe"][data-state="invalid"]').waitFor();
      expect((await settings(org.emails.supervisor)).email).toBe(true);
      await visitor.goto(`${base}/unsubscribe?token=${token}`);
      await visitor.locator('[data-testid="unsubscribe"][data-state="done"]').waitFor();
      expect((await settings(org.emails.supervisor)).email).toBe(false);
    } finally {
      await fresh.close();
    }
  });
});
