import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, openPage, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/**
 * The Tasks page in a real browser against the real server and queue, as a staff member who is also the
 * org's admin: start a long task, watch its progress bar move live, cancel it; a task that fails every
 * attempt lands in the dead-letter queue (live, with a toast) and is redriven from there.
 */
describe.skipIf(!webBuilt && !process.env.CI)('tasks page end to end (Chromium)', { timeout: 90_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const contexts: BrowserContext[] = [];

  async function api(method: 'GET' | 'POST', url: string, payload?: object) {
    const { accessToken } = await loginAs(app, org.emails.admin);
    const res = await app.inject({ method, url, payload, headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  }

  beforeAll(async () => {
    ({ app, base, org } = await startWebServer('e2e-tasks'));
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await openPage(browser, contexts, { width: 1280, height: 800 });
    await signIn(page, base, org.emails.admin, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByTestId('tasks-page').waitFor();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await closeBrowser?.();
    await app?.close();
  });

  it('starts a long task, shows its progress live, and cancels it', async () => {
    await page.getByLabel('Seconds').fill('40');
    await page.getByRole('button', { name: 'Start task' }).click();
    const row = page.getByTestId('task-row').first();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('running');
    const percent = async () => Number(await row.getByTestId('task-progress').getAttribute('data-percent'));
    await expect.poll(percent, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => row.textContent()).toMatch(/step \d+ of 20/);
    await shot(page, '60-tasks-running');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('cancelled');
    const id = (await row.getAttribute('data-task-id')) as string;
    expect((await api('GET', `/api/v1/tasks/${id}`)).state).toBe('cancelled');
  });

  it('puts a task out of attempts in the dead-letter queue, live, and redrives it', async () => {
    const { task } = await api('POST', '/api/v1/tasks', {
      type: 'demo.sleep',
      payload: { seconds: 5, steps: 1 },
      timeoutMs: 100,
      maxAttempts: 1,
    });
    const dlq = page.getByTestId('dead-letters').locator(`[data-task-id="${task.id}"]`);
    await dlq.waitFor({ timeout: 20_000 });
    await page.getByTestId('toast').filter({ hasText: 'Task failed' }).first().waitFor();
    await shot(page, '61-tasks-dead-letter');
    const before = (await api('GET', `/api/v1/admin/tasks/${task.id}`)).updatedAt;
    await dlq.getByRole('button', { name: 'Redrive' }).click();
    await page.getByTestId('toast').filter({ hasText: '1 task sent back to the queue' }).waitFor();
    // Redriven: it ran again from the first attempt (and, timing out again, is back in the queue later).
    await expect
      .poll(async () => (await api('GET', `/api/v1/admin/tasks/${task.id}`)).updatedAt, { timeout: 20_000 })
      .toBeGreaterThan(before);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, '62-tasks-phone');
  });
});
