import { randomUUID } from 'node:crypto';
import type { SupportNote } from '@switchboard/protocol';
import { afterAll, expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs } from '../../test/auth.js';
import { waitFor } from '../../test/waits.js';
import { FAKE_TEXT_REPLY, startFakeLlm } from './fake-llm-servers.js';

const fake = await startFakeLlm('openai-compatible');
afterAll(() => fake.close());

describeApp(
  'AI summary on handoff (LLM configured)',
  (ctx) => {
    it('a conversation handed to a person gets an AI summary among its private notes, once per handover', async () => {
      const { app, platform } = ctx();
      const a = await createOrgWithUsers(platform);
      const customer = (await loginAs(app, a.emails.customer)).accessToken;
      const agent = (await loginAs(app, a.emails.agent)).accessToken;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: bearer(customer),
        payload: { kind: 'support' },
      });
      const conversationId = created.json().conversation.id as string;
      await app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: bearer(customer),
        payload: { clientMsgId: randomUUID(), text: 'My invoice shows the wrong company name' },
      });
      const handoff = await app.inject({
        method: 'POST',
        url: `/api/v1/support/${conversationId}/handoff`,
        headers: bearer(customer),
      });
      expect(handoff.statusCode).toBe(204);
      const notes = async () =>
        (
          await app.inject({ method: 'GET', url: `/api/v1/support/${conversationId}/notes`, headers: bearer(agent) })
        ).json().items as SupportNote[];
      const [summary] = await waitFor(async () => ((await notes()).length ? notes() : undefined), {
        what: 'the summary note',
        timeoutMs: 20_000,
      });
      expect(summary).toMatchObject({ kind: 'summary', text: FAKE_TEXT_REPLY });
      // The model was asked to summarise the transcript.
      expect(fake.requests.some((r) => r.body.includes('wrong company name') && r.body.includes('Summarise'))).toBe(
        true,
      );
      expect(await notes()).toHaveLength(1);
    });
  },
  { AI_PROVIDER: 'openai-compatible', AI_BASE_URL: fake.baseUrl, AI_MODEL: 'tiny-test', AI_TIMEOUT_MS: '5000' },
);
