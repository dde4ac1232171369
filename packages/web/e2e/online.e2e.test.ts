import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, openPage, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/** The "Who is online" list in a real browser: people appear as they sign in and their status changes live. */
describe.skipIf(!webBuilt && !process.env.CI)('who is online (Chromium)', { timeout: 90_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const contexts: BrowserContext[] = [];
  const newPage = (width = 1280) => openPage(browser, contexts, { width, height: 800 });

  beforeAll(async () => {
    ({ app, base, org } = await startWebServer('e2e-online'));
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await closeBrowser?.();
    await app?.close();
  });

  it('lists who is online, adds a colleague who signs in, and shows their status change', async () => {
    const admin: Page = await newPage();
    await signIn(admin, base, org.emails.admin, TEST_PASSWORD);
    await admin.getByTestId('account-menu').click();
    await admin.getByTestId('online-link').click();
    const row = (id: string) => admin.locator(`[data-testid="online-row"][data-user-id="${id}"]`);
    await row(org.users.admin.id).waitFor();
    expect(await row(org.users.agent.id).count()).toBe(0);

    const agent = await newPage(390);
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    await expect.poll(() => row(org.users.agent.id).getAttribute('data-status'), { timeout: 20_000 }).toBe('online');
    await agent.getByTestId('status-picker').click();
    await agent.getByRole('menuitem', { name: 'Busy' }).click();
    await expect.poll(() => row(org.users.agent.id).getAttribute('data-status'), { timeout: 20_000 }).toBe('busy');
    expect(await row(org.users.agent.id).textContent()).toContain('Busy');
    await shot(admin, '70-who-is-online');
  });
});
