import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, openPage, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/** The staff messenger on a phone (390 px): the list, then the conversation with a way back; the composer usable. */
describe.skipIf(!webBuilt && !process.env.CI)('staff messenger on a phone (Chromium)', { timeout: 90_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ({ app, base, org } = await startWebServer('phone-e2e'));
    const token = (await loginAs(app, org.emails.supervisor)).accessToken;
    const headers = { authorization: `Bearer ${token}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers,
      payload: { kind: 'group', name: 'Night shift', memberIds: [org.users.agent.id] },
    });
    await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${created.json().conversation.id}/messages`,
      headers,
      payload: { clientMsgId: randomUUID(), text: 'Who covers the night shift?' },
    });
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await closeBrowser?.();
    await app?.close();
  });

  it('shows the list, then the conversation with a back button and the composer on screen', async () => {
    const page = await openPage(browser, contexts, { width: 390, height: 844 });
    await signIn(page, base, org.emails.agent, TEST_PASSWORD);
    await page.goto(`${base}/messenger`);
    const row = page.getByTestId('conversation-title').filter({ hasText: 'Night shift' });
    await row.waitFor();
    expect(await page.getByTestId('messenger-back').count()).toBe(0);
    await shot(page, 'messenger-phone-list');
    await row.click();
    await page.getByTestId('messenger-back').waitFor();
    await page.getByText('Who covers the night shift?').last().waitFor();
    expect(await row.isVisible()).toBe(false);
    const composer = await page.getByTestId('composer').boundingBox();
    expect(composer).not.toBeNull();
    expect((composer?.y ?? 0) + (composer?.height ?? 0)).toBeLessThanOrEqual(844);
    expect(composer?.width ?? 0).toBeGreaterThan(150);
    await page.getByTestId('composer').fill('I do');
    await page.getByTestId('composer').press('Enter');
    await page.getByText('I do', { exact: true }).last().waitFor();
    await shot(page, 'messenger-phone-conversation');
    await page.getByTestId('messenger-back').click();
    await row.waitFor();
  });
});
