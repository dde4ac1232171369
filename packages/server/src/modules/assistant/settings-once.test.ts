import { randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs, openSupportConversation } from '../../test/auth.js';

// Count every read of an org's AI settings row, whoever reads it.
const reads = vi.hoisted(() => ({ n: 0 }));
vi.mock('./assistant.repo.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('./assistant.repo.js')>();
  return {
    ...m,
    assistantRepo: (database: Parameters<typeof m.assistantRepo>[0]) => {
      const repo = m.assistantRepo(database);
      return {
        ...repo,
        settings: (orgId: string) => {
          reads.n++;
          return repo.settings(orgId);
        },
      };
    },
  };
});

describeApp('the AI settings are read once per draft', (ctx) => {
  it('a draft that goes to approval reads them once, for the threshold, the AI user and the timeout', async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const admin = (await loginAs(app, a.emails.admin)).accessToken;
    const customer = (await loginAs(app, a.emails.customer)).accessToken;
    // The AI off: sending submits no draft task, so the draft below is the only one.
    const off = await app.inject({
      method: 'PATCH',
      url: '/api/v1/ai/settings',
      headers: bearer(admin),
      payload: { enabled: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    const conversationId = await openSupportConversation(app, customer);
    const text = 'Something no article answers';
    // The stored message's after-commit check reads the settings once (to see the AI is off): let it.
    reads.n = 0;
    const sent = await app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: bearer(customer),
      payload: { clientMsgId: randomUUID(), text },
    });
    const message = sent.json().message as { id: string; createdAt: number };
    await vi.waitFor(() => expect(reads.n).toBe(1));

    reads.n = 0;
    const outcome = await app.services.assistant.runDraft({
      orgId: a.org.id,
      conversationId,
      messageId: message.id,
      text,
      at: message.createdAt,
    });
    expect(outcome).toBe('queued');
    expect(reads.n).toBe(1);
    const pending = await app.services.approvals.pending({
      userId: a.users.agent.id,
      orgId: a.org.id,
      role: 'agent',
      sessionId: 's',
      kind: 'user',
    });
    expect(pending.map((p) => p.questionMessageId)).toEqual([message.id]);
  });
});
