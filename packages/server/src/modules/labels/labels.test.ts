import type { SupportInboxItem } from '@switchboard/protocol';
import { expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs } from '../../test/auth.js';

describeApp('labels and inbox filters', (ctx) => {
  it('labels support conversations; the inbox filters by label, assignee, channel, customer and status, per org', async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const b = await createOrgWithUsers(platform);
    const token = async (email: string) => (await loginAs(app, email)).accessToken;
    const [customer, agent, supervisor, admin, other] = await Promise.all([
      token(a.emails.customer),
      token(a.emails.agent),
      token(a.emails.supervisor),
      token(a.emails.admin),
      token(b.emails.admin),
    ]);
    const call = (t: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url, headers: bearer(t), ...(payload ? { payload } : {}) });
    const conversation = async (t: string) =>
      (await call(t, 'POST', '/api/v1/conversations', { kind: 'support' })).json().conversation.id as string;
    const { widgetKey } = (await call(admin, 'GET', '/api/v1/orgs/current/widget')).json();
    const visitor = (await app.inject({ method: 'POST', url: '/api/v1/widget/session', payload: { widgetKey } })).json()
      .accessToken as string;

    const [billingConv, bugConv, visitorConv] = [
      await conversation(customer),
      await conversation(customer),
      await conversation(visitor),
    ];
    const billing = await call(supervisor, 'POST', '/api/v1/labels', { name: 'Billing', color: 'orange' });
    expect(billing.statusCode, billing.body).toBe(201);
    const bug = (await call(admin, 'POST', '/api/v1/labels', { name: 'bug' })).json();
    expect((await call(admin, 'POST', '/api/v1/labels', { name: 'billing' })).statusCode).toBe(409);
    expect((await call(agent, 'POST', '/api/v1/labels', { name: 'vip' })).statusCode).toBe(403);
    expect((await call(admin, 'POST', '/api/v1/labels', { name: 'x', color: 'plaid' })).statusCode).toBe(400);

    const put = (t: string, conv: string, label: string) => call(t, 'PUT', `/api/v1/support/${conv}/labels/${label}`);
    expect((await put(agent, billingConv, billing.json().id)).json()).toEqual({
      conversationId: billingConv,
      labelIds: [billing.json().id],
    });
    await put(agent, billingConv, billing.json().id); // again: no change
    await put(agent, bugConv, bug.id);
    await put(agent, visitorConv, bug.id);
    // Customers cannot label, another org cannot reach the conversation or use the label.
    expect((await put(customer, billingConv, bug.id)).statusCode).toBe(403);
    expect((await put(other, billingConv, bug.id)).statusCode).toBe(404);
    const foreignConv = await conversation(await token(b.emails.customer));
    expect((await put(other, foreignConv, bug.id)).statusCode).toBe(404);

    const inbox = async (query: string) =>
      ((await call(agent, 'GET', `/api/v1/support?${query}`)).json().items as SupportInboxItem[])
        .map((i) => i.conversation.id)
        .sort();
    const mine = [billingConv, bugConv, visitorConv];
    expect((await inbox('')).filter((id) => mine.includes(id)).sort()).toEqual([...mine].sort());
    expect(await inbox(`label=${billing.json().id}`)).toEqual([billingConv]);
    expect(await inbox(`label=${bug.id}`)).toEqual([bugConv, visitorConv].sort());
    expect(await inbox(`label=${bug.id}&channel=widget`)).toEqual([visitorConv]);
    expect(await inbox(`label=${bug.id}&channel=account`)).toEqual([bugConv]);
    // One contact's conversations (the console's past conversations): by customer, in this org only.
    expect(await inbox(`customer=${a.users.customer.id}`)).toEqual([billingConv, bugConv].sort());
    expect(await inbox(`customer=${a.users.customer.id}&label=${bug.id}`)).toEqual([bugConv]);
    expect(await inbox(`customer=${b.users.customer.id}`)).toEqual([]);
    expect((await call(agent, 'GET', '/api/v1/support?customer=not-an-id')).statusCode).toBe(400);
    expect(await inbox(`label=${bug.id}&assignee=unassigned`)).toEqual([bugConv, visitorConv].sort());

    // Taken by the agent: "assignee=me" for them, and by id for a colleague.
    expect((await call(agent, 'POST', `/api/v1/support/${bugConv}/take`)).statusCode).toBe(204);
    expect(await inbox(`label=${bug.id}&assignee=me`)).toEqual([bugConv]);
    expect(
      (
        (await call(supervisor, 'GET', `/api/v1/support?assignee=${a.users.agent.id}`)).json()
          .items as SupportInboxItem[]
      ).map((i) => i.conversation.id),
    ).toEqual([bugConv]);
    expect(await inbox(`label=${bug.id}&status=human_active`)).toEqual([bugConv]);
    const row = (
      (await call(agent, 'GET', `/api/v1/support?label=${bug.id}&assignee=me`)).json().items as SupportInboxItem[]
    )[0];
    expect(row?.labels).toEqual([bug.id]);

    // Taking a label off, and deleting a label, show in the inbox.
    await call(agent, 'DELETE', `/api/v1/support/${visitorConv}/labels/${bug.id}`);
    expect(await inbox(`label=${bug.id}`)).toEqual([bugConv]);
    expect((await call(admin, 'DELETE', `/api/v1/labels/${bug.id}`)).statusCode).toBe(204);
    expect(await inbox(`label=${bug.id}`)).toEqual([]);
    expect((await call(other, 'GET', '/api/v1/labels')).json().items).toEqual([]);
    expect((await call(customer, 'GET', '/api/v1/labels')).statusCode).toBe(403);
  });
});
