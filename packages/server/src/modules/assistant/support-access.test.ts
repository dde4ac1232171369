import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { bearer, connectSocket, createOrgWithUsers, describeApp, listen, loginAs } from '../../test/auth.js';

/**
 * Two promises of issue 9 beside the main flow (contact-center.test.ts): an agent can transfer a
 * conversation to another agent, and a customer reaches nothing of another customer's conversation —
 * not its state, its messages, its listing, nor its events on the socket.
 */
describeApp('support transfer and customer isolation', (ctx) => {
  it('an agent transfers a conversation to another staff member, recorded; never to a customer', async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const token = async (email: string) => (await loginAs(app, email)).accessToken;
    const customer = await token(a.emails.customer);
    const agent = await token(a.emails.agent);
    const supervisor = await token(a.emails.supervisor);
    const post = (path: string, token: string, payload?: object) =>
      app.inject({ method: 'POST', url: path, headers: bearer(token), ...(payload ? { payload } : {}) });
    const conversationId = (await post('/api/v1/conversations', customer, { kind: 'support' })).json().conversation
      .id as string;

    expect((await post(`/api/v1/support/${conversationId}/take`, agent)).statusCode).toBe(204);
    const to = (agentId: string, token = agent) =>
      post(`/api/v1/support/${conversationId}/transfer`, token, { agentId });
    expect((await to(a.users.customer.id)).json()).toMatchObject({ code: 'bad_request' });
    expect((await to(a.users.supervisor.id, customer)).statusCode).toBe(403);
    expect((await to(a.users.supervisor.id)).statusCode).toBe(204);

    const state = await app.inject({
      method: 'GET',
      url: `/api/v1/support/${conversationId}`,
      headers: bearer(customer),
    });
    expect(state.json()).toMatchObject({ status: 'human_active', assignedTo: a.users.supervisor.id });
    // The new assignee is a member: they answer in the conversation.
    const sent = await post(`/api/v1/conversations/${conversationId}/messages`, supervisor, {
      clientMsgId: randomUUID(),
      text: 'Sam here, I will take it from now.',
    });
    expect(sent.statusCode).toBe(201);
    const outcomes = await app.inject({ method: 'GET', url: '/api/v1/ai/outcomes', headers: bearer(supervisor) });
    expect(
      outcomes.json().items.filter((o: { conversationId: string }) => o.conversationId === conversationId),
    ).toMatchObject([{ kind: 'transferred', data: { to: a.users.supervisor.id } }]);
  });

  it("a customer reaches nothing of another customer's support conversation, over REST or the socket", async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const url = await listen(app);
    const owner = (await loginAs(app, a.emails.customer)).accessToken;
    const admin = (await loginAs(app, a.emails.admin)).accessToken;
    const { widgetKey } = (
      await app.inject({ method: 'GET', url: '/api/v1/orgs/current/widget', headers: bearer(admin) })
    ).json();
    const stranger = (
      await app.inject({ method: 'POST', url: '/api/v1/widget/session', payload: { widgetKey } })
    ).json().accessToken as string;
    const strangerSocket = await connectSocket(url, stranger);
    const heard: string[] = [];
    strangerSocket.onAny((event, payload) => heard.push(`${event} ${JSON.stringify(payload)}`));
    const ownerSocket = await connectSocket(url, owner);
    try {
      const conversationId = (
        await app.inject({
          method: 'POST',
          url: '/api/v1/conversations',
          headers: bearer(owner),
          payload: { kind: 'support' },
        })
      ).json().conversation.id as string;
      // The assistant queues a draft (the org has no articles): the owner is told an agent is reviewing.
      const reviewing = new Promise((resolve) =>
        ownerSocket.on('conversation.status', (e: { conversationId: string }) => {
          if (e.conversationId === conversationId) resolve(e);
        }),
      );
      const secret = 'my order number is 4711-secret';
      const asked = await ownerSocket.emitWithAck('message.send', {
        conversationId,
        clientMsgId: randomUUID(),
        text: secret,
      });
      expect(asked).toMatchObject({ ok: true });

      for (const path of [
        `/api/v1/support/${conversationId}`,
        `/api/v1/conversations/${conversationId}`,
        `/api/v1/conversations/${conversationId}/messages`,
      ]) {
        const res = await app.inject({ method: 'GET', url: path, headers: bearer(stranger) });
        expect(res.statusCode, path).toBe(404);
        expect(res.body).not.toContain('4711');
      }
      const list = await app.inject({ method: 'GET', url: '/api/v1/conversations', headers: bearer(stranger) });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(conversationId);
      const write = await app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: bearer(stranger),
        payload: { clientMsgId: randomUUID(), text: 'let me in' },
      });
      expect(write.statusCode).toBe(404);
      const viaSocket = await strangerSocket.emitWithAck('message.send', {
        conversationId,
        clientMsgId: randomUUID(),
        text: 'let me in',
      });
      expect(viaSocket).toMatchObject({ ok: false, error: { code: 'not_found' } });

      // Everything fanned out for the conversation reached its owner; none of it the stranger.
      await reviewing;
      expect(heard.join('\n')).not.toContain(conversationId);
      expect(heard.join('\n')).not.toContain('4711');
    } finally {
      strangerSocket.close();
      ownerSocket.close();
    }
  });
});
