import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalsRepo } from '../../server/src/modules/approvals/approvals.repo.js';
import { loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { launchChromium, openPage, shot, signIn } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

/**
 * The admin screens in a real browser against the real server: invite a user (who accepts in another
 * browser), change their role, deactivate them (their session ends); write, publish, edit, import and delete
 * knowledge-base articles; change the assistant's threshold. Every change is checked through the API too.
 */

describe.skipIf(!webBuilt && !process.env.CI)('admin screens end to end (Chromium)', { timeout: 90_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let admin: Page;
  const contexts: BrowserContext[] = [];

  const newPage = () => openPage(browser, contexts, { width: 1200, height: 800 });

  async function get(url: string) {
    const { accessToken } = await loginAs(app, org.emails.admin);
    const res = await app.inject({ url, headers: { authorization: `Bearer ${accessToken}` } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  beforeAll(async () => {
    ({ app, base, org } = await startWebServer('e2e-admin'));
    ({ browser, close: closeBrowser } = await launchChromium());
    admin = await newPage();
    await signIn(admin, base, org.emails.admin, TEST_PASSWORD);
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await closeBrowser?.();
    await app?.close();
  });

  it('the account menu changes my password: a common one is refused, a good one works, other sessions end', async () => {
    const page = await newPage();
    await signIn(page, base, org.emails.supervisor, TEST_PASSWORD);
    const other = await loginAs(app, org.emails.supervisor);
    await page.getByTestId('account-menu').click();
    await page.getByTestId('change-password').click();
    await page.getByLabel('Current password').fill(TEST_PASSWORD);
    await page.getByLabel('New password').fill('password1234');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByTestId('password-error').textContent()).toMatch(/most common/);
    const fresh = 'a calmer evening with tea';
    await page.getByLabel('New password').fill(fresh);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByTestId('password-changed').waitFor();
    await shot(page, '39-change-password');
    await page.getByRole('button', { name: 'Done' }).click();
    // This tab goes on with fresh tokens; the other session is over; the new password signs in.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const me = await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${other.accessToken}` } });
    expect(me.statusCode).toBe(401);
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: org.emails.supervisor, password: fresh },
    });
    expect(again.statusCode).toBe(200);
  });

  it('invites a user who accepts in another browser, changes their role, deactivates them', async () => {
    const email = 'new.colleague@e2e-admin.test';
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByTestId('invite-user').click();
    await admin.getByLabel('Email').fill(email);
    await admin.getByLabel('Name (optional)').fill('New Colleague');
    await admin.getByTestId('invite-role').click();
    await admin.getByRole('option', { name: 'supervisor' }).click();
    await admin.getByTestId('send-invite').click();
    const link = (await admin.getByTestId('invite-link').textContent()) ?? '';
    expect(link).toMatch(new RegExp(`^${base}/accept-invite#.+`));
    await shot(admin, '30-admin-invite-link');
    await admin.getByRole('button', { name: 'Done' }).click();
    const row = admin.getByTestId('user-row').filter({ hasText: email });
    const state = () => row.getByTestId('user-state').textContent();
    await expect.poll(state).toBe('invited');
    // The link got lost: a new one replaces it (the API test checks the old one is refused).
    await row.getByRole('button', { name: 'New invite link for New Colleague' }).click();
    const newLink = (await admin.getByTestId('invite-link').textContent()) ?? '';
    expect(newLink).toMatch(new RegExp(`^${base}/accept-invite#.+`));
    expect(newLink).not.toBe(link);
    await admin.getByRole('button', { name: 'Done' }).click();
    await admin.getByTestId('invite-link').waitFor({ state: 'hidden' });
    await shot(admin, '32-admin-user-invited');

    // The invitee opens the new link, chooses a password and is signed in with the invited role.
    const invitee = await newPage();
    await invitee.goto(newLink);
    await invitee.getByLabel('Password', { exact: true }).fill('a fresh long password');
    await invitee.getByLabel('Repeat password').fill('a fresh long password');
    await shot(invitee, '31-accept-invite');
    await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
    await invitee.getByTestId('account-menu').waitFor();
    expect(await invitee.getByTestId('account-menu').textContent()).toContain('supervisor');
    const users = await get('/api/v1/users?limit=100');
    const created = users.items.find((u: { email: string }) => u.email === email);
    expect(created).toMatchObject({ role: 'supervisor', active: true, displayName: 'New Colleague' });

    // A role change takes effect on the server (and ends their sessions: their tokens carry the role).
    await admin.reload();
    await expect.poll(state).toBe('active');
    // It asks first: Cancel leaves the role as it was.
    await row.getByLabel('Role of New Colleague').click();
    await admin.getByRole('option', { name: 'agent' }).click();
    const confirmRole = admin.getByRole('dialog', { name: 'Make New Colleague agent?' });
    await confirmRole.waitFor();
    await shot(admin, '31-admin-role-confirm');
    await confirmRole.getByRole('button', { name: 'Cancel' }).click();
    await confirmRole.waitFor({ state: 'hidden' });
    expect((await get(`/api/v1/users/${created.id}`)).role).toBe('supervisor');
    expect(await row.getByLabel('Role of New Colleague').inputValue()).toBe('supervisor');
    await row.getByLabel('Role of New Colleague').click();
    await admin.getByRole('option', { name: 'agent' }).click();
    await admin.getByTestId('confirm-role').click();
    await expect.poll(async () => (await get(`/api/v1/users/${created.id}`)).role).toBe('agent');
    await invitee.getByTestId('session-notice').waitFor();

    // Sign in again as an agent, then be deactivated: signed out at once, and sign-in is refused.
    await signIn(invitee, base, email, 'a fresh long password');
    await row.getByRole('button', { name: 'Deactivate New Colleague' }).click();
    await shot(admin, '32-admin-deactivate-confirm');
    await admin.getByTestId('confirm-deactivate').click();
    await expect.poll(state).toBe('deactivated');
    expect((await get(`/api/v1/users/${created.id}`)).active).toBe(false);
    await invitee.getByTestId('session-notice').waitFor();
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'a fresh long password' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('deactivated');
    // The admin cannot deactivate themself: the button is not offered.
    expect(await admin.getByRole('button', { name: `Deactivate ${org.users.admin.displayName}` }).isDisabled()).toBe(
      true,
    );
    await shot(admin, '33-admin-users');
  });

  it('writes a draft article, publishes and edits it, imports files, deletes one', async () => {
    await admin.getByRole('link', { name: 'Knowledge' }).click();
    await admin.getByTestId('admin-knowledge').waitFor();
    await admin.getByTestId('new-article').click();
    await admin.getByLabel('Title').fill('How do I export my chat history?');
    await admin.getByPlaceholder('Add a topic').fill('account');
    await admin.getByPlaceholder('Add a topic').press('Enter');
    await admin.getByLabel('Body (markdown)').fill('Open **Settings → Export** and choose a date range.');
    await shot(admin, '34-kb-editor');
    await admin.getByTestId('save-article').click();
    const row = admin.getByTestId('article-row').filter({ hasText: 'export my chat history' });
    await expect.poll(() => row.getByTestId('article-state').textContent()).toBe('draft');
    const stored = () =>
      get('/api/v1/kb/articles').then((r) =>
        r.items.find((a: { title: string }) => a.title.includes('export my chat history')),
      );
    expect(await stored()).toMatchObject({ published: false, topics: ['account'] });

    await row.getByRole('button', { name: /^Publish / }).click();
    await expect.poll(() => row.getByTestId('article-state').textContent()).toBe('published');
    expect((await stored()).published).toBe(true);

    // Questions learned from approved drafts (set here through the API) can be curated in the editor.
    const { accessToken } = await loginAs(app, org.emails.admin);
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/kb/articles/${(await stored()).id}`,
      headers: { authorization: `Bearer ${accessToken}` },
      payload: { phrasings: ['how to export', 'is the weather nice'] },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await admin.reload();
    await row.getByRole('button', { name: /^Edit / }).click();
    await admin.getByLabel('Title').fill('How do I export my chat history (CSV)?');
    await admin.getByPlaceholder('Add a question').press('Backspace');
    // A German translation: incomplete, it cannot be saved; complete, it is stored with the article.
    await admin.getByRole('button', { name: 'Add translation' }).click();
    const translation = admin.getByTestId('article-translations');
    await translation.getByLabel('Language').fill('de');
    expect(await admin.getByTestId('save-article').isDisabled()).toBe(true);
    await translation.getByLabel('Title').fill('Wie exportiere ich meinen Chatverlauf?');
    await translation.getByLabel('Body (markdown)').fill('Öffne **Einstellungen → Export** und wähle einen Zeitraum.');
    await shot(admin, '34b-kb-translation');
    await admin.getByTestId('save-article').click();
    await admin.getByText('How do I export my chat history (CSV)?').waitFor();
    expect(await stored()).toMatchObject({
      title: 'How do I export my chat history (CSV)?',
      phrasings: ['how to export'],
      published: true,
      translations: [{ lang: 'de', title: 'Wie exportiere ich meinen Chatverlauf?' }],
    });

    // Import: a JSON list and a markdown file at once; importing them again updates instead of duplicating.
    const files = [
      {
        name: 'faq.json',
        mimeType: 'application/json',
        buffer: Buffer.from(
          JSON.stringify([
            { externalId: 'faq-1', title: 'Opening hours', body: 'We answer every day from 8 to 20.' },
            { externalId: 'faq-2', title: 'Refunds', body: 'Refunds take up to 5 days.', topics: ['billing'] },
          ]),
        ),
      },
      {
        name: 'shipping.md',
        mimeType: 'text/markdown',
        buffer: Buffer.from('# Shipping times\ntopics: orders\n\nParcels arrive in **2–3 days**.'),
      },
    ];
    for (const expected of ['3 created, 0 updated', '0 created, 3 updated']) {
      await admin.getByTestId('import-articles').click();
      await admin.locator('input[type=file]').setInputFiles(files);
      await admin.getByText('3 article(s) ready to import.').waitFor();
      await admin.getByTestId('run-import').click();
      await expect.poll(() => admin.getByTestId('import-result').textContent()).toContain(expected);
      await shot(admin, '35-kb-import');
      await admin.getByRole('button', { name: 'Close' }).click();
    }
    await admin.getByTestId('article-row').filter({ hasText: 'Shipping times' }).waitFor();
    const all = (await get('/api/v1/kb/articles')).items as { title: string; body: string; topics: string[] }[];
    expect(all.map((a) => a.title).sort()).toEqual(
      ['How do I export my chat history (CSV)?', 'Opening hours', 'Refunds', 'Shipping times'].sort(),
    );
    expect(all.find((a) => a.title === 'Shipping times')).toMatchObject({
      body: 'Parcels arrive in **2–3 days**.',
      topics: ['orders'],
    });

    await admin.getByRole('button', { name: 'Delete Refunds' }).click();
    await admin.getByTestId('confirm-delete').click();
    await expect.poll(() => admin.getByTestId('article-row').count()).toBe(3);
    expect((await get('/api/v1/kb/articles')).items).toHaveLength(3);
    await shot(admin, '36-kb-list');
  });

  it('changes the AI confidence threshold and shows the widget snippet', async () => {
    const before = await get('/api/v1/ai/settings');
    // Decided drafts of this org (approved at 0.6 and 0.9, rejected at 0.4): the settings show their table.
    const now = Date.now();
    for (const [confidence, state] of [
      [0.6, 'approved'],
      [0.9, 'approved'],
      [0.4, 'rejected'],
    ] as const)
      await approvalsRepo(app.platform.database).insert({
        id: randomUUID(),
        orgId: org.org.id,
        conversationId: randomUUID(),
        questionMessageId: randomUUID(),
        question: 'q',
        questionAt: now,
        draft: 'd',
        confidence,
        reason: 'e2e',
        sources: '[]',
        state,
        claimedBy: null,
        claimExpiresAt: null,
        decidedBy: null,
        decidedAt: now,
        finalText: null,
        rejectReason: null,
        createdAt: now,
        expiresAt: now,
      });
    await admin.getByRole('link', { name: 'Settings' }).click();
    await admin.getByTestId('ai-settings').waitFor();
    const table = admin.getByTestId('decision-thresholds');
    await table.getByText('3 drafts').waitFor();
    // At 0.50: two of three would be sent, both approved.
    expect(await table.getByRole('row', { name: /^0\.50/ }).innerText()).toMatch(/67%\s+100%\s+2/);
    const thumb = admin.getByTestId('ai-settings').getByRole('slider');
    await thumb.focus();
    await thumb.press(before.threshold < 0.9 ? 'ArrowRight' : 'ArrowLeft');
    await admin.getByTestId('save-ai').click();
    await admin.getByText('Saved.').waitFor();
    const after = await get('/api/v1/ai/settings');
    expect(Math.abs(after.threshold - before.threshold)).toBeCloseTo(0.05, 5);
    const snippet = (await admin.getByTestId('widget-snippet').textContent()) ?? '';
    expect(snippet).toContain((await get('/api/v1/orgs/current/widget')).widgetKey);
    await shot(admin, '37-settings');

    // An agent's edit of a draft is offered on the knowledge page as an improvement to the quoted article.
    const article = (await get('/api/v1/kb/articles')).items[0];
    await approvalsRepo(app.platform.database).insert({
      id: randomUUID(),
      orgId: org.org.id,
      conversationId: randomUUID(),
      questionMessageId: randomUUID(),
      question: 'Do you open on Sundays?',
      questionAt: now,
      draft: 'We are open every day.',
      confidence: 0.5,
      reason: 'e2e',
      sources: JSON.stringify([{ articleId: article.id, title: article.title, passage: 'x' }]),
      state: 'edited',
      claimedBy: null,
      claimExpiresAt: null,
      decidedBy: null,
      decidedAt: now,
      finalText: 'Sundays 10 to 16; every other day 8 to 20.',
      rejectReason: null,
      createdAt: now,
      expiresAt: now,
    });
    await admin.getByRole('link', { name: 'Knowledge' }).click();
    const edits = admin.getByTestId('draft-edits');
    await edits.getByRole('button', { name: 'Review' }).click();
    await edits.getByText('Sent: Sundays 10 to 16').waitFor();
    await shot(admin, '38-kb-suggested-edits');
    await edits.getByRole('button', { name: 'Open article' }).click();
    await expect.poll(() => admin.getByLabel('Title').first().inputValue(), { timeout: 20_000 }).toBe(article.title);
  });
  it('an agent sees no admin links and gets "no access" on the admin pages', async () => {
    const agent = await newPage();
    await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
    for (const name of ['Users', 'Knowledge', 'Settings'])
      expect(await agent.getByRole('link', { name }).count()).toBe(0);
    for (const route of ['/admin/users', '/admin/knowledge', '/admin/settings']) {
      await agent.goto(`${base}${route}`);
      await agent.getByTestId('forbidden').waitFor();
    }
    expect(await agent.getByTestId('admin-settings').count()).toBe(0);
  });
});
