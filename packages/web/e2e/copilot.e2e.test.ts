import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import { knowledgeService } from '../../server/src/modules/knowledge/knowledge.service.js';
import { WEB_DIST_DIR } from '../../server/src/modules/web/web.http.js';
import { DEMO_ARTICLES } from '../../server/src/seed/demo-kb.js';
import { createOrgWithUsers, loginAs, type OrgFixture, TEST_PASSWORD } from '../../server/src/test/auth.js';
import { testConfig } from '../../server/src/test/config.js';
import { freePort, launchChromium, shot, signIn } from './browser.js';

const built = fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'));
const QUESTION = 'Do approvals expire?';

/**
 * The console's copilot on a server without an LLM: the agent unfolds it, gets a reply suggested from the
 * knowledge base with the articles it comes from, and is told in words why a summary is not available.
 */
describe.skipIf(!built && !process.env.CI)('agent copilot in the console (Chromium)', { timeout: 120_000 }, () => {
  let app: FastifyInstance;
  let base: string;
  let org: OrgFixture;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let agent: Page;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await buildApp(testConfig({ PORT: String(port), PUBLIC_URL: base }));
    await app.listen({ port, host: '127.0.0.1' });
    org = await createOrgWithUsers(app.platform, { slug: 'copilot-e2e' });
    await knowledgeService(app.platform).import(org.org.id, null, { articles: [...DEMO_ARTICLES] });
    const customer = (await loginAs(app, org.emails.customer)).accessToken;
    const headers = { authorization: `Bearer ${customer}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/conversations',
      headers,
      payload: { kind: 'support' },
    });
    const conversationId = created.json().conversation.id;
    await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers,
      payload: { clientMsgId: randomUUID(), text: QUESTION },
    });
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    await closeBrowser?.();
    await app?.close();
  });

  for (const width of [1280, 390]) {
    it(`suggests a reply from the knowledge base and says why a summary is unavailable (${width} px)`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 820 } });
      agent = await context.newPage();
      agent.setDefaultTimeout(20_000);
      await signIn(agent, base, org.emails.agent, TEST_PASSWORD);
      await agent.goto(`${base}/console`);
      await agent.getByText(QUESTION).first().click();
      await agent.getByTestId('copilot-toggle').click();
      await agent.getByRole('button', { name: 'Suggest reply' }).click();
      await expect.poll(() => agent.getByTestId('copilot-text').inputValue(), { timeout: 20_000 }).toMatch(/approv/i);
      await agent.getByTestId('copilot-sources').waitFor();
      await agent.getByRole('button', { name: 'Summarise' }).click();
      await expect
        .poll(() => agent.getByTestId('copilot-error').innerText(), { timeout: 20_000 })
        .toMatch(/Not available: summary needs an LLM/);
      await shot(agent, `console-copilot-${width}`);
      await context.close();
    });
  }
});
