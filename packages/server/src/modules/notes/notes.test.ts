import { randomUUID } from 'node:crypto';
import type { SupportNote } from '@switchboard/protocol';
import { expect, it } from 'vitest';
import { bearer, connectSocket, createOrgWithUsers, describeApp, listen, loginAs } from '../../test/auth.js';
import { waitFor } from '../../test/waits.js';

const SECRET = 'refund needs a supervisor: customer is on the annual plan';

describeApp('private notes in support conversations', (ctx) => {
  it('staff write and read them live; no customer socket or REST call ever sees one; other orgs cannot reach them', async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const b = await createOrgWithUsers(platform);
    const url = await listen(app);
    const customerToken = (await loginAs(app, a.emails.customer)).accessToken;
    const agentToken = (await loginAs(app, a.emails.agent)).accessToken;
    const supervisorToken = (await loginAs(app, a.emails.supervisor)).accessToken;
    const customer = await connectSocket(url, customerToken);
    const supervisor = await connectSocket(url, supervisorToken);
    const heardByCustomer: string[] = [];
    customer.onAny((event: string, ...args: unknown[]) => heardByCustomer.push(`${event} ${JSON.stringify(args)}`));
    const heardByStaff: SupportNote[] = [];
    supervisor.on('support.note', (n) => heardByStaff.push(n));
    try {
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: bearer(customerToken),
        payload: { kind: 'support' },
      });
      const conversationId = created.json().conversation.id as string;
      await customer.emitWithAck('message.send', {
        conversationId,
        clientMsgId: randomUUID(),
        text: 'I want a refund',
      });

      const post = (token: string, payload: { text: string }, id = conversationId) =>
        app.inject({ method: 'POST', url: `/api/v1/support/${id}/notes`, headers: bearer(token), payload });
      const res = await post(agentToken, { text: `  ${SECRET}  ` });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ conversationId, authorId: a.users.agent.id, kind: 'note', text: SECRET });
      await waitFor(() => heardByStaff.length === 1, { what: 'the note on a staff socket' });
      expect(heardByStaff[0]?.text).toBe(SECRET);

      const list = await app.inject({
        method: 'GET',
        url: `/api/v1/support/${conversationId}/notes`,
        headers: bearer(supervisorToken),
      });
      expect(list.json().items.map((n: SupportNote) => n.text)).toEqual([SECRET]);

      // Bad input is refused with a clear error and stores nothing.
      expect((await post(agentToken, { text: '   ' })).statusCode).toBe(400);
      expect((await post(agentToken, { text: 'x'.repeat(5001) })).statusCode).toBe(400);

      // The customer: no access to notes, and nothing of the note in any read path or on the socket.
      expect((await post(customerToken, { text: 'let me in' })).statusCode).toBe(403);
      const denied = await app.inject({
        method: 'GET',
        url: `/api/v1/support/${conversationId}/notes`,
        headers: bearer(customerToken),
      });
      expect(denied.statusCode).toBe(403);
      const reads = await Promise.all(
        [
          `/api/v1/conversations/${conversationId}/messages`,
          `/api/v1/conversations/${conversationId}`,
          `/api/v1/sync?since=${conversationId}:0`,
          `/api/v1/support/${conversationId}`,
          '/api/v1/conversations',
        ].map((u) => app.inject({ method: 'GET', url: u, headers: bearer(customerToken) })),
      );
      for (const r of reads) {
        expect(r.statusCode, r.body).toBe(200);
        expect(r.body).not.toContain('annual plan');
      }
      const synced = await customer.emitWithAck('sync', { since: { [conversationId]: 0 } });
      expect(JSON.stringify(synced)).not.toContain('annual plan');
      // A barrier: everything emitted before it has reached the customer's socket.
      await customer.emitWithAck('message.typing', { conversationId, typing: false });
      expect(heardByCustomer.join('\n')).not.toContain('annual plan');
      expect(heardByCustomer.some((e) => e.startsWith('support.note'))).toBe(false);

      // Another org's agent: the conversation does not exist for them.
      const otherAgent = (await loginAs(app, b.emails.agent)).accessToken;
      expect((await post(otherAgent, { text: 'hello' })).statusCode).toBe(404);
      const foreign = await app.inject({
        method: 'GET',
        url: `/api/v1/support/${conversationId}/notes`,
        headers: bearer(otherAgent),
      });
      expect(foreign.statusCode).toBe(404);
    } finally {
      customer.close();
      supervisor.close();
    }
  });
});
