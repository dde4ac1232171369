import { randomUUID } from 'node:crypto';
import type { AnswerStreamEvent, ConversationEvent } from '@switchboard/protocol';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { Config } from '../../config.js';
import { DEMO_ARTICLES } from '../../seed/demo-kb.js';
import { bearer, connectSocket, createOrgWithUsers, describeApp, listen, loginAs } from '../../test/auth.js';
import { waitFor } from '../../test/waits.js';
import { knowledgeService } from '../knowledge/knowledge.service.js';
import { type FakeLlm, startFakeLlm } from './fake-llm-servers.js';

const PROVIDERS: Config['ai']['provider'][] = ['openai-compatible', 'anthropic'];
const fakes = {
  'openai-compatible': await startFakeLlm('openai-compatible'),
  anthropic: await startFakeLlm('anthropic'),
};
afterAll(() => {
  for (const f of Object.values(fakes)) f.close();
});

const LONG_ANSWER =
  'Open your profile menu at the top right and choose Change password. Type your current password, then the new one twice, and save: your other devices are signed out.';

for (const provider of PROVIDERS) {
  const fake: FakeLlm = fakes[provider];
  describeApp(
    `AI answers streamed to the widget (${provider})`,
    (ctx) => {
      /** A customer asks in a new support conversation; everything the customer's socket hears is recorded. */
      async function ask() {
        const { app, platform } = ctx();
        const a = await createOrgWithUsers(platform);
        await knowledgeService(platform).import(a.org.id, null, { articles: [...DEMO_ARTICLES] });
        const address = app.server.address();
        const url = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : await listen(app);
        const token = (await loginAs(app, a.emails.customer)).accessToken;
        const customer = await connectSocket(url, token);
        const articles = (await knowledgeService(platform).index(a.org.id)).search('reset my password').hits;
        fake.citeId = articles[0]?.articleId ?? '';
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/conversations',
          headers: bearer(token),
          payload: { kind: 'support' },
        });
        const conversationId = res.json().conversation.id as string;
        const heard: (({ kind: 'stream' } & AnswerStreamEvent) | { kind: 'message'; text: string | null })[] = [];
        customer.on('support.answer_stream', (e) => heard.push({ kind: 'stream', ...e }));
        customer.on('message.new', (e: ConversationEvent) => {
          if (e.conversationId === conversationId && e.message?.senderId !== a.users.customer.id)
            heard.push({ kind: 'message', text: e.message?.text ?? null });
        });
        const sent = await customer.emitWithAck('message.send', {
          conversationId,
          clientMsgId: randomUUID(),
          text: 'How do I reset my password?',
        });
        const staff = (await loginAs(app, a.emails.agent)).accessToken;
        const pending = async () =>
          (await app.inject({ method: 'GET', url: '/api/v1/approvals/pending', headers: bearer(staff) }))
            .json()
            .items.filter((i: { conversationId: string }) => i.conversationId === conversationId);
        return { customer, heard, conversationId, questionId: sent.data.message.id as string, pending };
      }

      it('an answer that will be sent is shown while it is written: growing previews of the final text, then the message', async () => {
        fake.answerText = LONG_ANSWER;
        fake.chunkMs = 15;
        const { customer, heard, conversationId, questionId } = await ask();
        try {
          await waitFor(() => heard.some((h) => h.kind === 'message'), { what: 'the answer', timeoutMs: 20_000 });
          const previews = heard.filter((h) => h.kind === 'stream');
          expect(previews.length).toBeGreaterThanOrEqual(2);
          expect(heard.at(-1)).toEqual({ kind: 'message', text: LONG_ANSWER });
          let before = 0;
          for (const p of previews) {
            expect(p).toMatchObject({ conversationId, replyTo: questionId, state: 'writing' });
            if (p.kind !== 'stream') continue;
            expect(LONG_ANSWER.startsWith(p.text)).toBe(true);
            expect(p.text.length).toBeGreaterThan(before);
            before = p.text.length;
          }
          expect(before).toBeLessThan(LONG_ANSWER.length + 1);
        } finally {
          customer.close();
        }
      });

      it('an answer under the threshold is never shown to the customer: no preview, it waits for an agent', async () => {
        fake.answerText = LONG_ANSWER;
        fake.confidence = 0.05;
        const { customer, heard, pending } = await ask();
        try {
          await waitFor(async () => (await pending()).length === 1, { what: 'the approval item', timeoutMs: 20_000 });
          expect(heard).toEqual([]);
        } finally {
          customer.close();
        }
      });

      it('an answer cut off mid-way is taken back: the preview is discarded and no answer is sent', async () => {
        fake.answerText = LONG_ANSWER;
        fake.chunkMs = 5;
        fake.mode = 'cut';
        const { customer, heard, pending } = await ask();
        try {
          await waitFor(async () => (await pending()).length === 1, { what: 'the approval item', timeoutMs: 20_000 });
          await waitFor(() => heard.some((h) => h.kind === 'stream' && h.state === 'discarded'), {
            what: 'the retraction',
          });
          const states = heard.map((h) => (h.kind === 'stream' ? h.state : 'message'));
          expect(states.at(-1)).toBe('discarded');
          expect(states.slice(0, -1).every((s) => s === 'writing')).toBe(true);
          expect(states).not.toContain('message');
        } finally {
          customer.close();
        }
      });

      afterEach(() => {
        fake.mode = 'normal';
        fake.confidence = 0.9;
        fake.chunkMs = 0;
      });
    },
    {
      AI_PROVIDER: provider,
      AI_BASE_URL: fake.baseUrl,
      AI_MODEL: 'tiny-test',
      AI_API_KEY: 'k',
      AI_TIMEOUT_MS: '5000',
      // A model failure goes to a person, so a cut-off answer is not replaced by the built-in one.
      AI_FALLBACK: 'human',
    },
  );
}
