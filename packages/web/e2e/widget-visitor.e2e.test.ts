import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, openPage, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/**
 * Visitor identity and business hours in Chromium: two anonymous visitors get distinct generated names in the
 * console; with the pre-chat form on and the team away, a visitor gives name and email, sees when the team is
 * back, leaves an email, and the agent sees who they are; the contact's other conversation is one click away.
 */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const PHONE = { width: 390, height: 760 };

describe.skipIf(!webBuilt && !process.env.CI)('widget visitors (Chromium)', { timeout: 120_000 }, () => {
  let app: Awaited<ReturnType<typeof startWebServer>>['app'];
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const contexts: BrowserContext[] = [];
  let widgetKey: string;
  let admin: string;
  const api = (method: 'GET' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, ...(payload ? { payload } : {}) });

  async function visitorSays(text: string): Promise<Page> {
    const page = await openPage(browser, contexts, PHONE);
    await page.goto(`${base}/widget?key=${encodeURIComponent(widgetKey)}`);
    const box = page.getByLabel('Your message');
    await box.fill(text);
    await box.press('Enter');
    await page.getByTestId('widget-msg-mine').filter({ hasText: text }).waitFor();
    return page;
  }

  beforeAll(async () => {
    ({ app, base, org } = await startWebServer('visitors-e2e'));
    admin = (await loginAs(app, org.emails.admin)).accessToken;
    widgetKey = (await api('GET', '/api/v1/orgs/current/widget')).json().widgetKey;
    // Messages stay with the people: no AI drafts moving statuses under the test.
    expect((await api('PATCH', '/api/v1/ai/settings', { enabled: false })).statusCode).toBe(200);
    ({ browser, close: closeBrowser } = await launchChromium());
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await closeBrowser?.();
    await app?.close();
  });

  it('tells two anonymous visitors apart in the console', async () => {
    await visitorSays('first visitor here');
    await visitorSays('second visitor here');
    const agent = await openPage(browser, contexts, { width: 1280, height: 800 });
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    await agent.goto(`${base}/console`);
    await agent.getByTestId('tab-all').click();
    await poll(() => agent.getByTestId('inbox-row').count()).toBe(2);
    const rows = await agent.getByTestId('inbox-row').allInnerTexts();
    const visitorNames = rows.map((r) => /Visitor \d{4}/.exec(r)?.[0]);
    expect(visitorNames.every(Boolean), rows.join(' | ')).toBe(true);
    expect(new Set(visitorNames).size).toBe(2);
  });

  it('asks name and email first, shows the away notice, takes an email; the agent sees who wrote', async () => {
    // Open only on the day after tomorrow (UTC): closed now, with a next opening to announce.
    const day = (new Date().getUTCDay() + 2) % 7;
    const saved = await api('PUT', '/api/v1/support/hours/settings', {
      timezone: 'UTC',
      hoursEnabled: true,
      hours: [{ day, open: '09:00', close: '17:00' }],
      awayMessage: 'Our team works Tuesdays only.',
      prechatName: true,
      prechatEmail: true,
    });
    expect(saved.statusCode).toBe(200);

    const page = await openPage(browser, contexts, PHONE);
    await page.goto(`${base}/widget?key=${encodeURIComponent(widgetKey)}`);
    const form = page.getByTestId('widget-prechat');
    await form.waitFor();
    await form.getByLabel('Name').fill('Ada Lovelace');
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => page.getByTestId('widget-prechat-error').innerText()).toContain('valid email');
    await form.getByLabel('Email').fill('ada@example.com');
    await form.getByRole('button', { name: 'Start chat' }).click();

    const away = page.getByTestId('widget-away');
    await away.waitFor();
    expect(await away.innerText()).toMatch(/We'll answer from/);
    expect(await away.innerText()).toContain('Our team works Tuesdays only.');
    await away.getByLabel('Your email').fill('ada.home@example.com');
    await away.getByRole('button', { name: 'Leave email' }).click();
    await page.getByTestId('widget-away-saved').waitFor();
    const box = page.getByLabel('Your message');
    await box.fill('Can **someone** call me back?');
    await box.press('Enter');
    await page.getByTestId('widget-msg-mine').locator('strong', { hasText: 'someone' }).waitFor();
    await shot(page, 'widget-visitor-away-390');

    const agent = await openPage(browser, contexts, { width: 1280, height: 800 });
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    await agent.goto(`${base}/console`);
    await agent.getByTestId('tab-all').click();
    const row = agent.getByTestId('inbox-row').filter({ hasText: 'Ada Lovelace' });
    await row.click();
    await poll(() => agent.getByTestId('conversation-panel').innerText()).toContain('ada.home@example.com');
    await agent.getByTestId('conversation-panel').locator('strong', { hasText: 'someone' }).waitFor();
    await shot(agent, 'console-visitor-contact-1280');
  });

  it('a visitor sends an attachment the agent sees, and sees "Seen" once the agent reads', async () => {
    const reset = await api('PUT', '/api/v1/support/hours/settings', {
      timezone: 'UTC',
      hoursEnabled: false,
      hours: [],
      awayMessage: '',
      prechatName: false,
      prechatEmail: false,
    });
    expect(reset.statusCode).toBe(200);
    const page = await visitorSays('I have a receipt for you');
    await page.getByTestId('attach-input').setInputFiles({
      name: 'receipt-4711.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('order 4711, paid'),
    });
    await page.getByTestId('attachment-name').filter({ hasText: 'receipt-4711.txt' }).waitFor();
    expect(await page.getByTestId('widget-seen').count()).toBe(0);

    const agent = await openPage(browser, contexts, { width: 1280, height: 800 });
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    await agent.goto(`${base}/console`);
    await agent.getByTestId('tab-all').click();
    await agent.getByTestId('inbox-row').filter({ hasText: 'receipt-4711.txt' }).click();
    await agent.getByRole('button', { name: /^Take/ }).click();
    await agent
      .getByTestId('conversation-panel')
      .getByTestId('attachment-name')
      .filter({ hasText: 'receipt-4711.txt' })
      .waitFor();
    await page.getByTestId('widget-seen').first().waitFor();
    await shot(page, 'widget-visitor-seen-390');
    await shot(agent, 'console-visitor-attachment-1280');
  });
});
