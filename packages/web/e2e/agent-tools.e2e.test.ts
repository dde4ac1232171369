import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, openPage, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/**
 * The agent's daily tools in the console: a canned response inserted with `/` (the customer's name filled
 * in) and a private note the customer never sees.
 */
describe.skipIf(!webBuilt && !process.env.CI)('agent tools in the console (Chromium)', { timeout: 120_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const contexts: BrowserContext[] = [];
  let customer: string;

  const api = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    ({ app, base, org } = await startWebServer('tools-e2e'));
    const supervisor = (await loginAs(app, org.emails.supervisor)).accessToken;
    const made = await api(supervisor, 'POST', '/api/v1/canned-responses', {
      scope: 'org',
      shortcut: 'refund',
      title: 'Refund timeline',
      text: 'Hi {{customer.name}}, your refund reaches your card within 5 days. — {{agent.name}}',
    });
    expect(made.statusCode, made.body).toBe(201);
    customer = (await loginAs(app, org.emails.customer)).accessToken;
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await closeBrowser?.();
    await app?.close();
  });

  for (const width of [1280, 390]) {
    it(`inserts a canned response with /, sends it, and keeps a private note from the customer (${width} px)`, async () => {
      const created = await api(customer, 'POST', '/api/v1/conversations', { kind: 'support' });
      const conversationId = created.json().conversation.id as string;
      const question = `I want my money back (${width})`;
      await api(customer, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
        clientMsgId: randomUUID(),
        text: question,
      });
      await api(customer, 'POST', `/api/v1/support/${conversationId}/handoff`);

      const agent = await openPage(browser, contexts, { width, height: 820 });
      await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
      await agent.goto(`${base}/console`);
      // Asked for a person while this agent was online: it is theirs already.
      await agent.getByTestId('tab-mine').click();
      await agent.getByTestId('inbox-row').filter({ hasText: question }).first().click();
      const panel = agent.getByTestId('conversation-panel');
      const take = panel.getByRole('button', { name: /^Take/ });
      if (await take.isVisible()) await take.click();
      const composer = panel.getByTestId('composer');
      await composer.fill('/ref');
      await panel.getByTestId('shortcut-menu').getByText('/refund · Refund timeline').waitFor();
      await shot(agent, `console-canned-menu-${width}`);
      await composer.press('Enter');
      const filled = `Hi ${org.users.customer.displayName}, your refund reaches your card within 5 days. — ${org.users.agent.displayName}`;
      await expect.poll(() => composer.inputValue()).toBe(filled);
      await composer.press('Enter');
      await panel.getByTestId('console-message').filter({ hasText: 'your refund reaches your card' }).waitFor();

      await panel.getByText('Private note').click();
      const note = panel.getByRole('textbox', { name: 'Private note' });
      await note.fill('Annual plan: a refund over 100 € needs a supervisor.');
      await note.press('Enter');
      await panel.getByTestId('console-note').filter({ hasText: 'needs a supervisor' }).waitFor();
      await shot(agent, `console-agent-tools-${width}`);

      // The customer got the canned answer with their name, and nothing of the note.
      const history = await api(customer, 'GET', `/api/v1/conversations/${conversationId}/messages`);
      expect(history.json().items.map((m: { text: string }) => m.text)).toContain(filled);
      expect(history.body).not.toContain('needs a supervisor');
    });
  }

  it("shows the contact's other conversations beside the chat, and finds a conversation by the customer's name", async () => {
    const open = async (text: string) => {
      const id = (await api(customer, 'POST', '/api/v1/conversations', { kind: 'support' })).json().conversation
        .id as string;
      await api(customer, 'POST', `/api/v1/conversations/${id}/messages`, { clientMsgId: randomUUID(), text });
      return id;
    };
    await open('My **old** order never arrived');
    await open('Can I change my delivery address?');

    const agent = await openPage(browser, contexts, { width: 1280, height: 820 });
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    await agent.goto(`${base}/console`);
    await agent.getByTestId('tab-all').click();
    // The row's preview is text, not markdown.
    await agent.getByTestId('inbox-row').filter({ hasText: 'My old order never arrived' }).waitFor();
    await agent.getByTestId('inbox-row').filter({ hasText: 'change my delivery address' }).first().click();
    const past = agent.getByTestId('past-conversations');
    await past.getByTestId('past-conversation').filter({ hasText: 'My old order never' }).click();
    const panel = agent.getByTestId('conversation-panel');
    await panel.getByTestId('console-message').filter({ hasText: 'My old order never arrived' }).waitFor();
    await shot(agent, 'console-past-conversations-1280');

    // The search box finds the customer's conversations by their name.
    await agent.getByTestId('search-support').fill(org.users.customer.displayName);
    const hit = agent.getByTestId('search-hit').filter({ hasText: 'Customer' }).first();
    await hit.waitFor();
    await shot(agent, 'console-search-customer-1280');
    await hit.click();
    await panel.waitFor();
  });

  it('adds, edits and deletes a personal canned response in the manager', async () => {
    const agent = await openPage(browser, contexts, { width: 1280, height: 820 });
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    await agent.goto(`${base}/console`);
    await agent.getByTestId('canned-open').click();
    const dialog = agent.getByRole('dialog', { name: 'Canned responses' });
    await dialog.getByLabel('Shortcut').fill('hello');
    await dialog.getByLabel('Name').fill('Greeting');
    await dialog.getByLabel('Text').fill('Hello {{customer.name}}!');
    await dialog.getByRole('button', { name: 'Add' }).click();
    const row = dialog.getByTestId('canned-list').getByRole('row').filter({ hasText: '/hello' });
    await row.waitFor();
    await row.getByTestId('canned-edit').click();
    await expect.poll(() => dialog.getByLabel('Text').inputValue()).toBe('Hello {{customer.name}}!');
    await dialog.getByLabel('Text').fill('Good day {{customer.name}}!');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row.filter({ hasText: 'Good day' }).waitFor();
    await shot(agent, 'console-canned-manager-1280');
    const agentToken = (await loginAs(app, org.emails.agent)).accessToken;
    const mine = (await api(agentToken, 'GET', '/api/v1/canned-responses')).json().items as {
      shortcut: string;
      text: string;
    }[];
    expect(mine.find((c) => c.shortcut === 'hello')?.text).toBe('Good day {{customer.name}}!');
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
  });
});
