import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { knowledgeService } from '../../server/src/modules/knowledge/knowledge.service.js';
import { WEB_DIST_DIR } from '../../server/src/modules/web/web.http.js';
import { seedDemo } from '../../server/src/seed/demo.js';
import { DEMO_ARTICLES } from '../../server/src/seed/demo-kb.js';
import { createOrgWithUsers, loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { testConfig } from '../../server/src/test/config.js';
import { freePort, launchChromium, shot, signIn } from './browser.js';

/**
 * The customer widget embedded on someone else's site (another origin, a plain page with the script tag) and
 * the agent console in a second browser: an AI answer, a weak question reviewed and approved by keyboard, an
 * edited answer, a reload that keeps the conversation, an agent taking over with typing, resolve and CSAT.
 */

const built = fs.existsSync(path.join(WEB_DIST_DIR, 'widget.js'));
const CONFIDENT = 'How do I reset or change my password?';
const WEAK = 'Do approvals expire?';
/** `expect.poll` with the page's patience (its default is one second). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">Jordan';
const WEAK_TOO = 'Can agents see what the assistant wrote before I do?';
/** Nothing in the knowledge base comes near it: the AI drafts its no-answer reply. */
const NO_ANSWER = 'xqzv blorp frindle quux';

describe.skipIf(!built && !process.env.CI)('customer widget and agent console (Chromium)', { timeout: 120_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let site: http.Server;
  let siteUrl: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const contexts: BrowserContext[] = [];
  let customer: Page;
  let agent: Page;
  let supervisorToken: string;

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
    page.on('response', (r) => r.status() >= 400 && console.error(`[http ${r.status()}] ${r.url()}`));
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`[page console] ${m.text()}`);
    });
    return page;
  }
  const panel = (): FrameLocator => customer.frameLocator('iframe[data-switchboard="panel"]');
  const ask = async (text: string) => {
    const box = panel().getByLabel('Your message');
    await box.fill(text);
    await box.press('Enter');
  };
  const status = () => panel().getByTestId('widget-status');

  beforeAll(async () => {
    expect(built, `no widget build in ${WEB_DIST_DIR}: run \`npm run build -w @switchboard/web\``).toBe(true);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await buildApp(testConfig({ PORT: String(port), PUBLIC_URL: base }));
    await app.listen({ port, host: '127.0.0.1' });
    org = await createOrgWithUsers(app.platform, { slug: 'widget-e2e' });
    await knowledgeService(app.platform).import(org.org.id, null, { articles: [...DEMO_ARTICLES] });
    const admin = await loginAs(app, org.emails.admin);
    supervisorToken = (await loginAs(app, org.emails.supervisor)).accessToken;
    const widget = await app.inject({
      method: 'GET',
      url: '/api/v1/orgs/current/widget',
      headers: { authorization: `Bearer ${admin.accessToken}` },
    });
    const { widgetKey, identitySecret } = widget.json();
    // Someone else's site: another origin (localhost vs 127.0.0.1, so another site too), nothing but the tag.
    // `/account` is its signed-in area: the tag carries the site's user id signed on its server (or a forged
    // signature at `/forged`), and a hostile display name.
    const sign = (id: string) => createHmac('sha256', identitySecret).update(id).digest('hex');
    const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    site = http.createServer((req, res) => {
      const identity =
        req.url === '/account'
          ? ` data-user-id="site-user-7" data-user-signature="${sign('site-user-7')}" data-name="${attr(HOSTILE_NAME)}"`
          : req.url === '/forged'
            ? ` data-user-id="site-user-8" data-user-signature="${sign('site-user-7')}"`
            : '';
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><html><head><title>Acme shop</title></head><body><h1>Acme shop</h1><p>Our products.</p>` +
          `<script src="${base}/widget.js" data-org-key="${widgetKey}"${identity} async></script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
    ({ browser, close: closeBrowser } = await launchChromium());
    customer = await newPage();
    agent = await newPage();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await closeBrowser?.();
    site?.close();
    await app?.close();
  });

  it('a visitor on a plain page opens the widget and gets the AI answer to a knowledge-base question', async () => {
    await customer.goto(siteUrl);
    await customer.getByRole('button', { name: 'Open chat' }).click();
    await poll(() => panel().getByText('Ask us anything').isVisible()).toBe(true);
    const asked = Date.now();
    await ask(CONFIDENT);
    await panel().getByTestId('widget-msg-theirs').filter({ hasText: 'Change password' }).waitFor();
    // A measurement for the report, not a threshold: question typed → AI answer on screen.
    console.info(`[measure] widget: question → AI answer visible in ${Date.now() - asked} ms`);
    await poll(() => panel().getByTestId('widget-msg-theirs').first().innerText()).toContain('AI assistant');
    await poll(() => status().getAttribute('data-status')).toBe('ai_active');
    await shot(customer, 'widget-ai-answer');
  });

  it('a weak question shows "reviewing"; the agent approves it with one key in the console; the customer sees it', async () => {
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    await agent.goto(`${base}/console`);
    await ask(WEAK);
    await poll(() => status().getAttribute('data-status')).toBe('pending_approval');
    await poll(() => status().innerText()).toContain('An agent is reviewing your answer');
    await shot(customer, 'widget-reviewing');

    // Live: the draft arrives in the open console without a reload.
    const card = agent.getByTestId('approval-card');
    await card.getByTestId('approval-question').filter({ hasText: WEAK }).waitFor();
    const draft = await card.getByTestId('approval-draft').innerText();
    expect(draft.length).toBeGreaterThan(20);
    await poll(() => card.getByTestId('confidence').textContent()).toMatch(/Confidence \d+%/);
    expect(await card.getByTestId('approval-source').count()).toBeGreaterThan(0);
    await poll(() => agent.getByTestId('shortcuts').innerText()).toContain('approve');
    await shot(agent, 'console-approval');
    const approved = Date.now();
    await agent.keyboard.press('a');
    await card.waitFor({ state: 'detached' });

    const answer = draft.slice(0, 40);
    await panel().getByTestId('widget-msg-theirs').filter({ hasText: answer }).waitFor();
    console.info(`[measure] console key A → approved answer visible in the widget in ${Date.now() - approved} ms`);
    await poll(() => status().getAttribute('data-status')).toBe('ai_active');
  });

  it('an agent edits a draft (E, Ctrl+Enter) and the customer sees the edited text; a reload keeps everything', async () => {
    await ask(WEAK_TOO);
    await poll(() => status().getAttribute('data-status')).toBe('pending_approval');
    const card = agent.getByTestId('approval-card');
    await card.getByTestId('approval-question').filter({ hasText: WEAK_TOO }).waitFor();
    // Under the floor: no draft to send with one key, only suggestions.
    await card.getByTestId('no-answer').waitFor();
    expect(await card.getByTestId('approval-draft').count()).toBe(0);
    await shot(agent, 'console-no-answer');
    await agent.keyboard.press('e');
    const edit = card.getByTestId('approval-edit');
    await poll(() =>
      edit.evaluate((el) => el === (el as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement),
    ).toBe(true);
    await edit.fill('Yes: an agent reads every uncertain draft before you see it — edited by Alex.');
    await agent.keyboard.press('Control+Enter');
    await card.waitFor({ state: 'detached' });
    await panel().getByTestId('widget-msg-theirs').filter({ hasText: 'edited by Alex' }).waitFor();
    // The agent's words are labelled as the agent, never as the AI assistant.
    const edited = panel().getByTestId('widget-msg-theirs').filter({ hasText: 'edited by Alex' });
    await poll(() => edited.innerText()).toContain('agent of widget-e2e');
    expect(await edited.innerText()).not.toContain('AI assistant');

    const before = await panel().getByTestId('widget-msg-theirs').count();
    await customer.reload();
    // The panel was open: it opens again by itself, with the same visitor and conversation.
    await panel().getByTestId('widget-msg-theirs').filter({ hasText: 'edited by Alex' }).waitFor();
    expect(await panel().getByTestId('widget-msg-theirs').count()).toBe(before);
    expect(await panel().getByTestId('widget-msg-mine').count()).toBe(3);
    await shot(customer, 'widget-after-reload');
  });

  it('the agent takes over (customer sees them join and type), resolves, and the customer rates the chat', async () => {
    await agent.getByTestId('tab-all').click();
    await agent.getByTestId('inbox-row').first().click();
    await agent.keyboard.press('t');
    await poll(() => status().getAttribute('data-status')).toBe('human_active');
    await poll(() => status().innerText()).toContain('joined the chat');
    const composer = agent.getByRole('textbox', { name: /message/i });
    await composer.pressSequentially('Hi, Alex here', { delay: 30 });
    await panel().getByTestId('widget-typing').waitFor();
    await composer.press('Enter');
    await panel().getByTestId('widget-msg-theirs').filter({ hasText: 'Hi, Alex here' }).waitFor();
    await poll(() => agent.getByTestId('capacity').innerText()).toBe('1 of 5 conversations');
    // And the other way: the customer types, the agent sees it by the customer's name.
    const customerName = await agent.getByTestId('customer-name').innerText();
    const widgetComposer = panel().getByRole('textbox', { name: 'Your message' });
    await widgetComposer.pressSequentially('one more', { delay: 30 });
    await poll(() => agent.getByTestId('console-typing').innerText()).toBe(`${customerName} is typing…`);
    await shot(agent, 'console-conversation');
    await widgetComposer.fill('');

    await agent.locator('body').click({ position: { x: 5, y: 5 } });
    await agent.keyboard.press('d');
    await poll(() => status().getAttribute('data-status')).toBe('resolved');
    await panel().getByTestId('csat').waitFor();
    await shot(customer, 'widget-csat');
    await panel().getByRole('button', { name: '4 out of 5' }).click();
    await panel().getByTestId('csat-thanks').waitFor();
    const outcomes = await app.inject({
      method: 'GET',
      url: '/api/v1/ai/outcomes',
      headers: { authorization: `Bearer ${supervisorToken}` },
    });
    const csat = outcomes.json().items.filter((o: { kind: string }) => o.kind === 'csat');
    expect(csat.map((o: { data: { score: number } }) => o.data.score)).toEqual([4]);
  });

  it('a verified site user chats under their identity; hostile names and text stay text; a forged signature is refused', async () => {
    const page = await newPage();
    await page.goto(`${siteUrl}forged`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const forged = page.frameLocator('iframe[data-switchboard="panel"]');
    await poll(() => forged.getByTestId('widget-error').innerText()).toContain('could not verify');

    // A new tab: the panel's open state is per tab.
    const account = await newPage();
    await account.goto(`${siteUrl}account`);
    await account.getByRole('button', { name: 'Open chat' }).click();
    const verified = account.frameLocator('iframe[data-switchboard="panel"]');
    await verified.getByText('Jordan!', { exact: false }).waitFor();
    const box = verified.getByLabel('Your message');
    await box.fill('<script>window.__xss=2</script> I want to talk to a person');
    await box.press('Enter');
    await poll(() => verified.getByTestId('widget-status').getAttribute('data-status')).toMatch(/human_/);

    await agent.getByTestId('tab-all').click();
    const row = agent.getByTestId('inbox-row').filter({ hasText: 'Jordan' });
    await row.click();
    await poll(() => agent.getByTestId('customer-name').textContent()).toBe(HOSTILE_NAME);
    await agent.getByTestId('console-message').filter({ hasText: 'window.__xss=2' }).waitFor();
    expect(await agent.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(
      await agent.locator('[data-testid="conversation-panel"] img, [data-testid="conversation-panel"] script').count(),
    ).toBe(0);
    await shot(agent, 'console-verified-customer');
  });

  it('the demo page embeds the demo org widget, shows the snippet, and answers a help question', async () => {
    await seedDemo(app.platform);
    const page = await newPage();
    await page.goto(`${base}/widget-demo`);
    await poll(() => page.locator('pre').innerText()).toMatch(
      /<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-org-key="wk_/,
    );
    await page.getByRole('button', { name: 'Open chat' }).click();
    const demo = page.frameLocator('iframe[data-switchboard="panel"]');
    const box = demo.getByLabel('Your message');
    await box.fill('How do I log in to Switchboard?');
    await box.press('Enter');
    await demo.getByTestId('widget-msg-theirs').first().waitFor();
    await shot(page, 'widget-demo');
  });
  it('a no-answer draft, approved, lands in the human queue and goes to the available agent (not the supervisor) live', async () => {
    // The supervisor watches the dashboard: online, yet never routed to.
    const watcher = await newPage();
    await signIn(watcher, base, org.emails.supervisor, TEST_PASSWORD);
    await watcher.goto(`${base}/dashboard`);
    await agent.goto(`${base}/console`);
    // Read "Mine" once the inbox has loaded (earlier tests left conversations in "All").
    const badge = (tab: string) => agent.getByTestId(`tab-${tab}`).locator('.mantine-Badge-root').innerText();
    await poll(async () => Number(await badge('all'))).toBeGreaterThan(0);
    const mineBefore = Number(await agent.getByTestId('tab-mine').locator('.mantine-Badge-root').innerText());

    const visitor = await newPage();
    await visitor.goto(siteUrl);
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    const frame = visitor.frameLocator('iframe[data-switchboard="panel"]');
    await frame.getByLabel('Your message').fill(NO_ANSWER);
    await frame.getByLabel('Your message').press('Enter');

    await agent.getByTestId('tab-approval').click();
    const card = agent.getByTestId('approval-card');
    await agent.getByTestId('inbox-row').first().click();
    await card.getByTestId('approval-question').filter({ hasText: NO_ANSWER }).waitFor();
    expect(await card.getByTestId('approval-draft').innerText()).toContain('member of our team');
    await agent.locator('body').click({ position: { x: 5, y: 5 } });
    await agent.keyboard.press('a');
    await card.waitFor({ state: 'detached' });

    // The promise of a person is kept: the conversation is the agent's, and as the agent has it open (they just
    // approved it there), the widget says who joined.
    const banner = frame.getByTestId('widget-status');
    await poll(() => banner.getAttribute('data-status')).toBe('human_active');
    await poll(() => banner.innerText()).toContain('agent of widget-e2e joined the chat');
    // The agent's console list updates live, without a reload: one more conversation in "Mine".
    await poll(async () => Number(await agent.getByTestId('tab-mine').locator('.mantine-Badge-root').innerText())).toBe(
      mineBefore + 1,
    );
    const inbox = await app.inject({
      method: 'GET',
      url: '/api/v1/support?limit=200',
      headers: { authorization: `Bearer ${supervisorToken}` },
    });
    const assignees = inbox
      .json()
      .items.filter((i: { status: string }) => i.status === 'human_active')
      .map((i: { assignedTo: string }) => i.assignedTo);
    expect(assignees).toContain(org.users.agent.id);
    expect(assignees).not.toContain(org.users.supervisor.id);
    await shot(agent, 'console-assigned-after-no-answer');

    // The agent's tools on it: a canned reply, a private note, a label; then resolve, and find it again by search.
    const sup = { authorization: `Bearer ${supervisorToken}` };
    const canned = await app.inject({
      method: 'POST',
      url: '/api/v1/canned-responses',
      headers: sup,
      payload: {
        scope: 'org',
        shortcut: 'lookup',
        title: 'Looking into it',
        text: 'Hello {{customer.name}}, {{agent.name}} here: let me look into it.',
      },
    });
    expect(canned.statusCode, canned.body).toBe(201);
    const label = await app.inject({
      method: 'POST',
      url: '/api/v1/labels',
      headers: sup,
      payload: { name: 'gibberish', color: 'teal' },
    });
    expect(label.statusCode, label.body).toBe(201);
    const found = await app.inject({ method: 'GET', url: '/api/v1/search?scope=support&q=frindle', headers: sup });
    const conversationId = found.json().items[0].conversationId as string;
    await agent.goto(`${base}/console/${conversationId}`);
    const panel = agent.getByTestId('conversation-panel');
    await poll(() => panel.getAttribute('data-conversation')).toBe(conversationId);
    const composer = panel.getByTestId('composer');
    await composer.fill('/look');
    await composer.press('Enter');
    await poll(() => composer.inputValue()).toContain('here: let me look into it.');
    await composer.press('Enter');
    await frame.getByTestId('widget-msg-theirs').filter({ hasText: 'let me look into it' }).waitFor();
    await panel.getByText('Private note').click();
    const note = panel.getByRole('textbox', { name: 'Private note' });
    await note.fill('Looks like keyboard mashing; check again tomorrow.');
    await note.press('Enter');
    await panel.getByTestId('console-note').filter({ hasText: 'keyboard mashing' }).waitFor();
    await panel.getByTestId('label-picker').click();
    await agent.getByRole('option', { name: 'gibberish' }).click();
    await agent.keyboard.press('Escape');
    await agent.getByTestId('tab-all').click();
    await agent.getByTestId('inbox-filters').getByPlaceholder('Label').click();
    await agent.getByRole('option', { name: 'gibberish' }).click();
    const labelled = agent.locator(`[data-testid="inbox-row"][data-conversation="${conversationId}"]`);
    await labelled.getByTestId('label-badge').filter({ hasText: 'gibberish' }).waitFor();
    expect(await agent.getByTestId('inbox-row').count()).toBe(1);
    await shot(agent, 'console-labelled-and-noted');
    await panel.getByRole('button', { name: /^Resolve/ }).click();
    await poll(() => panel.getByTestId('conversation-status').innerText()).toMatch(/resolved/i);
    // Found again by a word of the customer's question, from a fresh console.
    await agent.goto(`${base}/console`);
    await agent.getByTestId('search-support').fill('frindle');
    await agent.getByTestId('search-hit').first().click();
    await poll(() => agent.getByTestId('conversation-panel').getAttribute('data-conversation')).toBe(conversationId);
    await shot(agent, 'console-found-by-search');
    // The customer never saw the note.
    expect(await frame.locator('body').innerText()).not.toContain('keyboard mashing');
  });
  it('on a phone (390 px) the console is two screens: the list, then the conversation with a back button', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    contexts.push(context);
    const phone = await context.newPage();
    phone.setDefaultTimeout(20_000);
    await signIn(phone, base, org.emails.agent, TEST_PASSWORD);
    await phone.goto(`${base}/console`);
    await phone.getByTestId('tab-all').click();
    const row = phone.getByTestId('inbox-row').first();
    await row.waitFor();
    // The list fills the screen: nothing opened beside it, no keyboard legend.
    expect(await phone.getByTestId('console-back').count()).toBe(0);
    expect(await phone.getByTestId('shortcuts').isVisible()).toBe(false);
    await shot(phone, 'console-phone-list');
    await row.click();
    await phone.getByTestId('console-back').waitFor();
    expect(await row.isVisible()).toBe(false);
    // The composer is on screen, whole (the back button must not push it below the fold).
    const composer = await phone.getByRole('textbox', { name: /^(message|private note)$/i }).boundingBox();
    expect(composer && composer.y + composer.height).toBeLessThanOrEqual(844);
    await shot(phone, 'console-phone-conversation');
    await phone.getByTestId('console-back').click();
    await row.waitFor();
  });
});
