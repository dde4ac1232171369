import { randomUUID } from 'node:crypto';
import type { SearchHit } from '@switchboard/protocol';
import { expect, it } from 'vitest';
import { bearer, createOrgWithUsers, describeApp, loginAs } from '../../test/auth.js';

describeApp('full-text search over messages', (ctx) => {
  it('finds my messages by words and prefixes, never from conversations I am not in, another org, or deleted ones', async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const b = await createOrgWithUsers(platform);
    const token = async (email: string) => (await loginAs(app, email)).accessToken;
    const [agent, supervisor, customer, admin, other] = await Promise.all([
      token(a.emails.agent),
      token(a.emails.supervisor),
      token(a.emails.customer),
      token(a.emails.admin),
      token(b.emails.admin),
    ]);
    const call = (t: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url, headers: bearer(t), ...(payload ? { payload } : {}) });
    const say = async (t: string, conversationId: string, text: string) =>
      (
        await call(t, 'POST', `/api/v1/conversations/${conversationId}/messages`, { clientMsgId: randomUUID(), text })
      ).json().message.id as string;
    const search = async (t: string, q: string, scope = 'messenger') => {
      const res = await call(t, 'GET', `/api/v1/search?${new URLSearchParams({ q, scope })}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as SearchHit[];
    };

    // Agent and supervisor talk in a group; the admin is not in it.
    const group = (
      await call(agent, 'POST', '/api/v1/conversations', {
        kind: 'group',
        name: 'Quarter close',
        memberIds: [a.users.supervisor.id],
      })
    ).json().conversation.id as string;
    const hit = await say(agent, group, 'The quarterly invoices for Müller GmbH are ready');
    await say(supervisor, group, 'Thanks, I will check them tomorrow');
    const gone = await say(agent, group, 'Temporary invoices draft, please ignore');
    // Org B says the same words in its own conversation.
    const bGroup = (
      await call(other, 'POST', '/api/v1/conversations', { kind: 'group', name: 'B', memberIds: [b.users.agent.id] })
    ).json().conversation.id as string;
    await say(other, bGroup, 'Quarterly invoices of org B');

    const found = await search(supervisor, 'invoice quarter');
    expect(found.map((h) => h.messageId).sort()).toEqual([hit]);
    expect(found[0]).toMatchObject({
      conversationId: group,
      conversationKind: 'group',
      conversationName: 'Quarter close',
    });
    expect(found[0]?.snippet).toMatch(/\[[Ii]nvoices\]/);
    expect((await search(supervisor, 'müller')).map((h) => h.messageId)).toEqual([hit]);
    expect((await search(agent, 'invoices')).map((h) => h.messageId).sort()).toEqual([hit, gone].sort());
    expect(await search(admin, 'invoices')).toEqual([]);
    expect((await search(other, 'invoices')).map((h) => h.conversationId)).toEqual([bGroup]);

    // Deleted: never found; edited: found by its new words only.
    expect((await call(agent, 'DELETE', `/api/v1/messages/${gone}`)).statusCode).toBe(200);
    expect((await search(agent, 'temporary')).length).toBe(0);
    expect(
      (await call(agent, 'PATCH', `/api/v1/messages/${hit}`, { text: 'The yearly report is ready' })).statusCode,
    ).toBe(200);
    expect(await search(agent, 'quarterly')).toEqual([]);
    expect((await search(agent, 'yearly')).map((h) => h.messageId)).toEqual([hit]);

    // Query syntax is not passed through: quotes, operators and stars are just separators.
    expect(await search(agent, '"yearly" OR * NEAR(x)')).toEqual([]);
    expect((await search(agent, 'yearly*')).map((h) => h.messageId)).toEqual([hit]);

    // Support scope: staff find the org's support conversations; the customer may not use it.
    const support = (await call(customer, 'POST', '/api/v1/conversations', { kind: 'support' })).json().conversation
      .id as string;
    await say(customer, support, 'My parcel tracking number does not work');
    expect((await search(admin, 'parcel tracking', 'support')).map((h) => h.conversationId)).toEqual([support]);
    expect(await search(agent, 'parcel', 'messenger')).toEqual([]);
    expect((await search(customer, 'parcel', 'messenger')).length).toBe(0);
    expect((await call(customer, 'GET', '/api/v1/search?q=parcel&scope=support')).statusCode).toBe(403);
    expect(await search(other, 'parcel', 'support')).toEqual([]);
    expect((await call(agent, 'GET', '/api/v1/search?q=')).statusCode).toBe(400);
  });

  it('finds support conversations by their customer: name, email, a generated visitor name or the email given', async () => {
    const { app, platform } = ctx();
    const a = await createOrgWithUsers(platform);
    const b = await createOrgWithUsers(platform);
    const call = (t: string | undefined, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      app.inject({ method, url, headers: t ? bearer(t) : {}, ...(payload ? { payload } : {}) });
    const agent = (await loginAs(app, a.emails.agent)).accessToken;
    const customer = (await loginAs(app, a.emails.customer)).accessToken;
    const { widgetKey } = (
      await call((await loginAs(app, a.emails.admin)).accessToken, 'GET', '/api/v1/orgs/current/widget')
    ).json();
    const visitor = async () => (await call(undefined, 'POST', '/api/v1/widget/session', { widgetKey })).json();
    const open = async (t: string, text: string) => {
      const id = (await call(t, 'POST', '/api/v1/conversations', { kind: 'support' })).json().conversation.id as string;
      const sent = await call(t, 'POST', `/api/v1/conversations/${id}/messages`, { clientMsgId: randomUUID(), text });
      return { id, messageId: sent.json().message.id as string };
    };
    const search = async (q: string) => {
      const res = await call(agent, 'GET', `/api/v1/search?${new URLSearchParams({ q, scope: 'support' })}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as SearchHit[];
    };
    const byCustomer = async (q: string) => (await search(q)).filter((h) => h.match === 'customer');

    const mine = await open(customer, 'Where is my order?');
    const anonymous = await visitor();
    const anon = await open(anonymous.accessToken, 'Hello there');
    const named = await visitor();
    await call(named.accessToken, 'PUT', '/api/v1/support/contact', {
      displayName: 'Grace Hopper',
      email: 'grace@navy.example',
    });
    const grace = await open(named.accessToken, 'Compiler question');
    // Org B's customer has the same name: never found from org A.
    const other = await visitor();
    await call(other.accessToken, 'PUT', '/api/v1/support/contact', { displayName: 'Grace Hopper' });
    const bKey = (
      await call((await loginAs(app, b.emails.admin)).accessToken, 'GET', '/api/v1/orgs/current/widget')
    ).json();
    expect(bKey.widgetKey).not.toBe(widgetKey);

    // A person's name and email; the hit is the conversation's latest message, the snippet marks the match.
    const byName = await byCustomer('customer of');
    expect(byName.map((h) => h.conversationId)).toEqual([mine.id]);
    expect(byName[0]).toMatchObject({ messageId: mine.messageId, match: 'customer' });
    expect(byName[0]?.snippet).toMatch(/^\[customer\] \[of\] .*: Where is my order\?$/);
    expect((await byCustomer(a.emails.customer)).map((h) => h.conversationId)).toEqual([mine.id]);
    // A visitor by the generated name staff see, and by the name and email they gave; every word must match.
    expect((await byCustomer(anonymous.user.displayName)).map((h) => h.conversationId)).toEqual([anon.id]);
    expect((await byCustomer('grace navy')).map((h) => h.conversationId)).toEqual([grace.id]);
    expect((await byCustomer('hopper')).map((h) => h.conversationId)).toEqual([grace.id]);
    expect(await byCustomer('grace compiler')).toEqual([]);
    // A visitor's placeholder address is not theirs to be found by.
    expect(await byCustomer('visitors invalid')).toEqual([]);
    // Message hits still come too, after the customer matches.
    expect((await search('compiler')).map((h) => [h.match, h.conversationId])).toEqual([['message', grace.id]]);
    // Customers search nothing here.
    expect((await call(customer, 'GET', '/api/v1/search?q=grace&scope=support')).statusCode).toBe(403);
  });
});
