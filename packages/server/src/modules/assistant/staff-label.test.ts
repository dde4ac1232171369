import { expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs, openSupportConversation } from '../../test/auth.js';

describeApp('how the widget names people (AI setting staffLabel)', (ctx) => {
  it("defaults to the agent's name; an admin switches to 'Support team'; the customer's state says which", async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const admin = (await loginAs(app, a.emails.admin)).accessToken;
    const supervisor = (await loginAs(app, a.emails.supervisor)).accessToken;
    const customer = (await loginAs(app, a.emails.customer)).accessToken;
    const conversationId = await openSupportConversation(app, customer);
    const state = async () =>
      (await app.inject({ method: 'GET', url: `/api/v1/support/${conversationId}`, headers: bearer(customer) })).json();
    const { aiUserId } = await app.services.contactCenter.settingsRow(a.org.id);
    expect(await state()).toMatchObject({ staffLabel: 'agent', aiUserId });
    const patch = (token: string, staffLabel: string) =>
      app.inject({ method: 'PATCH', url: '/api/v1/ai/settings', headers: bearer(token), payload: { staffLabel } });
    expect((await patch(supervisor, 'team')).statusCode).toBe(403);
    expect((await patch(admin, 'nobody')).statusCode).toBe(400);
    const saved = await patch(admin, 'team');
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().staffLabel).toBe('team');
    expect(await state()).toMatchObject({ staffLabel: 'team', aiUserId });
  });
});
