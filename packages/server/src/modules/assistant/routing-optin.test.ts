import { expect, it } from 'vitest';
import { bearer, connectSocket, createOrgWithUsers, describeApp, listen, sessionFor } from '../../test/auth.js';
import { waitFor } from '../../test/waits.js';

describeApp('who takes chats from the queue', (ctx) => {
  it('a supervisor online gets no chats until they opt in; opting in takes the oldest waiting at once', async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const url = await listen(app);
    const supervisorToken = (await sessionFor(platform, a.users.supervisor)).accessToken;
    const agentToken = (await sessionFor(platform, a.users.agent)).accessToken;
    const customerToken = (await sessionFor(platform, a.users.customer)).accessToken;
    const supervisor = await connectSocket(url, supervisorToken);
    try {
      const conversationId = (
        await app.inject({
          method: 'POST',
          url: '/api/v1/conversations',
          headers: bearer(customerToken),
          payload: { kind: 'support' },
        })
      ).json().conversation.id as string;
      expect(
        (
          await app.inject({
            method: 'POST',
            url: `/api/v1/support/${conversationId}/handoff`,
            headers: bearer(customerToken),
          })
        ).statusCode,
      ).toBe(204);
      const state = () => app.services.contactCenter.state(a.org.id, conversationId);
      // An assignment pass with the supervisor online (awaited): it must leave the chat waiting.
      await app.services.contactCenter.assignWaiting(a.org.id);
      expect(await state()).toMatchObject({ status: 'human_requested', assignedTo: null });
      expect(await app.services.contactCenter.queuePosition(a.org.id, conversationId)).toBe(1);

      const routing = (token: string, takesChats?: boolean) =>
        app.inject({
          method: takesChats === undefined ? 'GET' : 'PUT',
          url: '/api/v1/support-routing',
          headers: bearer(token),
          ...(takesChats === undefined ? {} : { payload: { takesChats } }),
        });
      expect((await routing(supervisorToken)).json()).toEqual({ takesChats: false });
      expect((await routing(agentToken)).json()).toEqual({ takesChats: true });
      expect((await routing(agentToken, false)).statusCode).toBe(400);

      expect((await routing(supervisorToken, true)).json()).toEqual({ takesChats: true });
      await waitFor(async () => (await state()).assignedTo === a.users.supervisor.id, {
        what: 'the chat routed to the supervisor',
      });
      expect((await state()).status).toBe('human_active');
      expect((await routing(supervisorToken)).json()).toEqual({ takesChats: true });
    } finally {
      supervisor.close();
    }
  });
});
