import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import type { Config } from '../../server/src/config.js';
import { WEB_DIST_DIR } from '../../server/src/modules/web/web.http.js';
import { createOrgWithUsers, loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { testConfig } from '../../server/src/test/config.js';
import { freePort, launchChromium, shot, signIn } from './browser.js';

/**
 * The web app in a real browser against the real server (built dist served by the server, as `npm start` does):
 * two people chat live, a customer is kept out of staff routes, hostile text stays text, an ended session
 * goes back to sign-in with the draft kept.
 */

const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
const built = fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'));

// Generous limits: under `npm test` other files share the two cores with Chromium.
// Skipped locally without a build; in CI (`npm ci` builds it) a missing build is a failure, not a silent skip.
describe.skipIf(!built && !process.env.CI)('web app end to end (Chromium)', { timeout: 90_000 }, () => {
  let app: FastifyInstance;
  let config: Config;
  let port: number;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const contexts: BrowserContext[] = [];
  const hostile = { email: 'hostile-agent@e2e.test', name: `${XSS} Mallory` };

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('dialog', (d) => void d.dismiss());
    // Surface the page's own errors in the test output: a blank screen is otherwise a mystery.
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
    page.on('console', (m) => {
      // Refused connections are expected while the server is stopped on purpose.
      if (m.type() === 'error' && !m.text().includes('ERR_CONNECTION_REFUSED'))
        console.error(`[page console] ${m.text()}`);
    });
    return page;
  }

  beforeAll(async () => {
    expect(built, `no web build in ${WEB_DIST_DIR}: run \`npm run build -w @switchboard/web\``).toBe(true);
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    config = testConfig({ PORT: String(port), PUBLIC_URL: base });
    app = await buildApp(config);
    await app.listen({ port, host: '127.0.0.1' });
    org = await createOrgWithUsers(app.platform, { slug: 'e2e' });
    const admin = await loginAs(app, org.emails.admin);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${admin.accessToken}` },
      payload: { email: hostile.email, displayName: hostile.name, password: TEST_PASSWORD, role: 'agent' },
    });
    expect(created.statusCode, created.body).toBe(201);
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await closeBrowser?.();
    await app?.close();
  });

  it('serves the app shell for client routes with a CSP that allows no inline script', async () => {
    const res = await fetch(`${base}/messenger/some-id`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    const js = await fetch(`${base}${asset}`);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${base}/api/v1/nope`)).status).toBe(404);
    expect((await fetch(`${base}/assets/missing-abcdefgh.js`)).status).toBe(404);
  });

  it('two people chat in real time: live list, typing, ticks move to read, hostile text stays inert', async () => {
    const sup = await newPage();
    const agent = await newPage();
    await sup.goto(`${base}/messenger`);
    await sup.getByLabel('Email').waitFor();
    await shot(sup, '01-sign-in');

    await signIn(agent, base, hostile.email, TEST_PASSWORD);
    await signIn(sup, base, org.emails.supervisor, TEST_PASSWORD);
    await shot(sup, '02-messenger-empty');

    await sup.getByTestId('new-conversation').click();
    await sup.getByTestId('person-select').click();
    await sup.getByTestId('person-select').fill('Mallory');
    await sup.getByRole('option', { name: /Mallory/ }).click();
    await shot(sup, '03-new-conversation');
    await sup.getByTestId('create-conversation').click();
    await expect.poll(() => sup.getByTestId('conversation-header').textContent()).toBe(hostile.name);

    await sup.getByTestId('composer').fill('Hello there!\nSecond line');
    await sup.getByTestId('composer').press('Enter');
    const mine = sup.getByTestId('message').last();
    await expect.poll(() => mine.getAttribute('data-state')).not.toBe('sending');
    await expect.poll(() => mine.getByTestId('tick').getAttribute('data-state')).toBe('sent');

    // The agent's list shows the new conversation live, unread.
    const row = agent.getByTestId('conversation-row').first();
    await row.getByTestId('unread-badge').waitFor();
    expect(await row.getByTestId('conversation-preview').textContent()).toContain('Hello there!');
    await shot(agent, '04-list-unread');
    await row.click();
    await agent.getByTestId('message-text').getByText('Second line').waitFor();
    await expect.poll(() => mine.getByTestId('tick').getAttribute('data-state')).toBe('read');

    await agent.getByTestId('composer').pressSequentially('typing away', { delay: 20 });
    await sup.getByTestId('typing').waitFor();
    expect(await sup.getByTestId('typing').textContent()).toContain('is typing');
    await shot(sup, '05-typing');
    await agent.getByTestId('composer').fill(XSS);
    await agent.getByTestId('composer').press('Enter');
    await sup.getByTestId('message-text').getByText(XSS, { exact: true }).waitFor();
    await shot(sup, '07-conversation-supervisor');

    for (const page of [sup, agent]) {
      expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.locator('[data-testid=message-list] img, [data-testid=message-list] script').count()).toBe(0);
    }
    expect(await sup.getByTestId('conversation-title').first().textContent()).toBe(hostile.name);

    // Search finds the message at once by the start of a word; the hit names the direct message's other member.
    await sup.getByTestId('search-messenger').fill('seco');
    const hit = sup.getByTestId('search-hit').first();
    await expect.poll(() => hit.textContent()).toContain(hostile.name);
    expect(await hit.locator('mark').first().textContent()).toBe('Second');
    await shot(sup, '07b-search');
    await sup.getByTestId('search-messenger').fill('');

    // React to the agent's message; the agent sees the reaction live.
    const theirs = sup.getByTestId('message').filter({ hasText: 'window.__xss=2' });
    await theirs.hover();
    await theirs.getByRole('button', { name: 'Message actions' }).click();
    await sup.getByRole('button', { name: 'React 👍' }).click();
    await agent.getByRole('button', { name: '👍 1' }).waitFor();
    await shot(agent, '06-conversation-agent');

    // A status change shows live on the other side.
    await sup.getByTestId('status-picker').click();
    await sup.getByRole('menuitem', { name: 'Busy' }).click();
    await expect.poll(() => agent.getByTestId('presence-dot').first().getAttribute('data-status')).toBe('busy');
    expect(await sup.locator('nav img').count()).toBe(0);
  });

  it('a long conversation opens at the bottom and loads older messages when scrolled up', async () => {
    const sup = await loginAs(app, org.emails.supervisor);
    const auth = { authorization: `Bearer ${sup.accessToken}` };
    const made = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: auth,
      payload: { kind: 'group', name: 'Long history', memberIds: [org.users.agent.id] },
    });
    const conversationId = made.json().conversation.id as string;
    for (let i = 1; i <= 120; i++) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: auth,
        payload: { clientMsgId: randomUUID(), text: `history message ${i}` },
      });
      expect(res.statusCode).toBeLessThan(300);
    }
    const page = await newPage();
    await signIn(page, base, org.emails.agent, TEST_PASSWORD);
    await page.getByTestId('conversation-row').filter({ hasText: 'Long history' }).click();
    const list = page.getByTestId('message-list');
    await list.getByText('history message 120', { exact: true }).waitFor();
    const gap = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await expect.poll(gap).toBeLessThan(5);
    // Scrolling up reaches the beginning (history pages, or what the SDK's sync already holds), once each.
    const first = list.getByText('history message 1', { exact: true });
    for (let i = 0; i < 8 && (await first.count()) === 0; i++) {
      await list.evaluate((el) => el.scrollTo({ top: 0 }));
      await page.waitForTimeout(400);
    }
    await first.waitFor();
    await list.getByText('This is the beginning of the conversation.').waitFor();
    // Each message once in the list; virtualized, so only those near the viewport are in the DOM.
    expect(await list.getAttribute('data-count')).toBe('120');
    expect(await page.getByTestId('message').count()).toBeLessThan(120);
    await shot(page, '13-long-history');
  });

  it('a customer cannot reach staff routes', async () => {
    const customer = await newPage();
    await signIn(customer, base, org.emails.customer, TEST_PASSWORD);
    expect(await customer.getByRole('link', { name: 'Console' }).count()).toBe(0);
    await customer.goto(`${base}/console`);
    await customer.getByTestId('forbidden').waitFor();
    await shot(customer, '08-customer-forbidden');
    await customer.goto(`${base}/admin/users`);
    await customer.getByTestId('forbidden').waitFor();
    expect(await customer.getByTestId('console').count()).toBe(0);
  });

  it('an agent can start a conversation with any colleague, online or not (the staff directory)', async () => {
    const agent = await newPage();
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    await agent.getByTestId('new-conversation').click();
    await agent.getByTestId('person-select').click();
    // Nobody from the org's admin account is signed in here: offline, and still listed.
    await agent.getByTestId('person-select').fill('admin of');
    await agent.getByRole('option', { name: 'admin of e2e (admin)' }).waitFor();
    await shot(agent, '14-directory');
    expect(await agent.getByRole('option', { name: /customer of/ }).count()).toBe(0);
    await agent.keyboard.press('Escape');
  });

  it('staff screens: agent console shell and admin users page', async () => {
    const admin = await newPage();
    await signIn(admin, base, org.emails.admin, TEST_PASSWORD);
    await admin.getByRole('link', { name: 'Console' }).click();
    await admin.getByTestId('console').waitFor();
    await shot(admin, '09-console');
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByText(hostile.email).waitFor();
    await shot(admin, '10-admin-users');
    expect(await admin.locator('table img').count()).toBe(0);
  });

  it('an ended session goes back to sign-in with a message, and the draft is kept', async () => {
    const sup = await loginAs(app, org.emails.supervisor);
    const made = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: { authorization: `Bearer ${sup.accessToken}` },
      payload: { kind: 'group', name: 'Launch plan', memberIds: [org.users.agent.id] },
    });
    expect(made.statusCode, made.body).toBeLessThan(300);
    const page = await newPage();
    await signIn(page, base, org.emails.supervisor, TEST_PASSWORD);
    await page.getByTestId('conversation-row').filter({ hasText: 'Launch plan' }).click();
    await page.getByTestId('composer').fill('half-written thought');
    const stored = await page.evaluate(() =>
      (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(
        'sb.session',
      ),
    );
    const { tokens } = JSON.parse(stored ?? '{}') as { tokens: { accessToken: string } };
    const out = await fetch(`${base}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBeLessThan(300);
    await page.getByTestId('session-notice').waitFor({ timeout: 15_000 });
    await shot(page, '11-session-ended');
    await page.getByLabel('Email').fill(org.emails.supervisor);
    await page.getByLabel('Password').first().fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('composer').inputValue()).toBe('half-written thought');
  });

  // Its own waits add up to 80 s (banner 20 s, sent 30 s, banner gone 30 s) on top of a server stop and
  // start, so the limit is above the file's 90 s: once in about a dozen local runs beside the widget file it
  // hit the old 60 s limit (cause not found; every other run took 2–5 s).
  it('a message sent while the server is down shows as sending, then sent once it is back, exactly once', async () => {
    const sup = await loginAs(app, org.emails.supervisor);
    const made = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers: { authorization: `Bearer ${sup.accessToken}` },
      payload: { kind: 'group', name: 'Outage drill', memberIds: [org.users.agent.id] },
    });
    const conversationId = made.json().conversation.id as string;
    const page = await newPage();
    await signIn(page, base, org.emails.agent, TEST_PASSWORD);
    await page.getByTestId('conversation-row').filter({ hasText: 'Outage drill' }).click();
    await page.getByTestId('composer').waitFor();

    await app.close();
    await page.getByTestId('connection-banner').waitFor();
    await page.getByTestId('composer').fill('sent during the outage');
    await page.getByTestId('composer').press('Enter');
    const msg = page.getByTestId('message').filter({ hasText: 'sent during the outage' });
    expect(await msg.getAttribute('data-state')).toBe('sending');
    await shot(page, '12-offline-sending');

    app = await buildApp(config);
    await app.listen({ port, host: '127.0.0.1' });
    await expect.poll(() => msg.getByTestId('tick').getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 30_000 });
    const token = (await loginAs(app, org.emails.supervisor)).accessToken;
    const history = await app.inject({
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: { authorization: `Bearer ${token}` },
    });
    const copies = (history.json().items as { text: string }[]).filter((m) => m.text === 'sent during the outage');
    expect(copies).toHaveLength(1);
  }, 120_000);
});
