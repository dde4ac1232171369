import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlm, startFakeLlm } from '../../server/src/modules/assistant/fake-llm-servers.js';
import { knowledgeService } from '../../server/src/modules/knowledge/knowledge.service.js';
import { DEMO_ARTICLES } from '../../server/src/seed/demo-kb.js';
import { loginAs, type OrgFixture } from '../../server/src/test/auth.js';
import { launchChromium, shot } from './browser.js';
import { startWebServer, webBuilt } from './server.js';

const ANSWER =
  'Open your profile menu at the top right and choose Change password. Type your current password, then the new one twice, and save.';

/**
 * With an LLM configured, the customer watches a confident answer being written in the widget (a local
 * model server streams it at a model's pace), and the stored message then takes the preview's place.
 */
describe.skipIf(!webBuilt && !process.env.CI)(
  'AI answer streamed into the widget (Chromium)',
  { timeout: 120_000 },
  () => {
    let fake: FakeLlm;
    let app: FastifyInstance;
    let base: string;
    let org: OrgFixture;
    let browser: Browser;
    let closeBrowser: () => Promise<void>;

    beforeAll(async () => {
      fake = await startFakeLlm('openai-compatible');
      fake.answerText = ANSWER;
      fake.firstChunkMs = 300;
      fake.chunkMs = 60;
      ({ app, base, org } = await startWebServer('stream-e2e', {
        AI_PROVIDER: 'openai-compatible',
        AI_BASE_URL: fake.baseUrl,
        AI_MODEL: 'tiny-test',
        AI_TIMEOUT_MS: '20000',
      }));
      await knowledgeService(app.platform).import(org.org.id, null, { articles: [...DEMO_ARTICLES] });
      const hits = (await knowledgeService(app.platform).index(org.org.id)).search('reset my password').hits;
      fake.citeId = hits[0]?.articleId ?? '';
      ({ browser, close: closeBrowser } = await launchChromium());
    }, 60_000);
    afterAll(async () => {
      await closeBrowser?.();
      await app?.close();
      fake?.close();
    });

    it('shows the answer while it is written, then the stored message in its place (390 px)', async () => {
      const admin = (await loginAs(app, org.emails.admin)).accessToken;
      const widget = await app.inject({
        method: 'GET',
        url: '/api/v1/orgs/current/widget',
        headers: { authorization: `Bearer ${admin}` },
      });
      const context = await browser.newContext({ viewport: { width: 390, height: 760 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${base}/widget?${new URLSearchParams({ key: widget.json().widgetKey })}`);
      const box = page.getByLabel('Your message');
      await box.fill('How do I reset my password?');
      await box.press('Enter');
      const preview = page.getByTestId('widget-answer-writing');
      await preview.waitFor();
      const partial = await preview.innerText();
      await shot(page, 'widget-answer-streaming');
      expect(partial).toContain('AI assistant');
      // A part of the answer, not all of it yet.
      expect(ANSWER.length).toBeGreaterThan(partial.replace('AI assistant', '').trim().length);
      await page.getByTestId('widget-msg-theirs').filter({ hasText: 'then the new one twice' }).waitFor();
      await preview.waitFor({ state: 'detached' });
      expect(await page.getByTestId('widget-msg-theirs').count()).toBe(1);
      await shot(page, 'widget-answer-streamed');
      await context.close();
    });
  },
);
