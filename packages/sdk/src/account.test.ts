import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrgWithUsers, describeApp, listen, type OrgFixture } from '../../server/src/test/auth.js';
import { sessionAuth } from './auth.js';
import { createClient, type SwitchboardClient } from './client.js';
import { SwitchboardError } from './errors.js';
import { acceptInvite, signIn } from './sign-in.js';

/** Rejects with a SwitchboardError whose code is `code`. */
async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SwitchboardError);
  expect((err as SwitchboardError).code).toBe(code);
}

describeApp('sdk accounts: sign-in, sign-out and the users API', (ctx) => {
  let url: string;
  let fx: OrgFixture;
  const clients: SwitchboardClient[] = [];
  const open = async (email: string, password = fx.password) => {
    const login = await signIn({ url }, { email, password });
    const { user, org, ...tokens } = login;
    const client = createClient({ url, auth: sessionAuth(tokens), userId: user.id, warn: () => {} });
    clients.push(client);
    return { client, user, org };
  };

  beforeAll(async () => {
    fx = await createOrgWithUsers(ctx().platform);
    url = await listen(ctx().app);
  });
  afterAll(() => {
    for (const c of clients) c.close();
  });

  it('signs in with the user and org, and refuses a wrong password with its code', async () => {
    const { user, org } = await open(fx.emails.admin);
    expect(user.id).toBe(fx.users.admin.id);
    expect(org.id).toBe(fx.org.id);
    await rejectsWith(
      signIn({ url }, { email: fx.emails.admin, password: 'not the password at all' }),
      'invalid_credentials',
    );
  });

  it('invites a user who accepts, changes their role, deactivates and reactivates them', async () => {
    const { client } = await open(fx.emails.admin);
    const email = `invited-${Date.now()}@example.com`;
    const invite = await client.api.users.invite({ email, role: 'agent', displayName: 'Invited Agent' });
    expect(invite.user.active).toBe(true);

    const accepted = await acceptInvite({ url }, { token: invite.inviteToken, password: 'a brand new password' });
    expect(accepted.user.email).toBe(email);
    expect(accepted.user.role).toBe('agent');

    const promoted = await client.api.users.update(invite.user.id, { role: 'supervisor' });
    expect(promoted.role).toBe('supervisor');
    expect((await client.api.users.get(invite.user.id)).role).toBe('supervisor');
    const listed = await client.api.users.list({ role: 'supervisor', limit: 100 });
    expect(listed.items.map((u) => u.email)).toContain(email);

    expect((await client.api.users.deactivate(invite.user.id)).active).toBe(false);
    await expect(signIn({ url }, { email, password: 'a brand new password' })).rejects.toBeInstanceOf(SwitchboardError);
    expect((await client.api.users.reactivate(invite.user.id)).active).toBe(true);
    expect((await signIn({ url }, { email, password: 'a brand new password' })).user.role).toBe('supervisor');
  });

  it('lets only admins manage users: an agent gets forbidden', async () => {
    const { client } = await open(fx.emails.agent);
    await rejectsWith(client.api.users.invite({ email: 'nope@example.com', role: 'admin' }), 'forbidden');
  });

  it('leaves a group with DELETE /conversations/{id}: the conversation is gone for the leaver only', async () => {
    const { client: admin } = await open(fx.emails.admin);
    const { client: agent } = await open(fx.emails.agent);
    const { conversation } = await admin.api.conversations.create({
      kind: 'group',
      name: 'leave me',
      memberIds: [fx.users.agent.id],
    });
    expect((await agent.api.conversations.get(conversation.id)).id).toBe(conversation.id);
    await agent.api.conversations.leave(conversation.id);
    await rejectsWith(agent.api.conversations.get(conversation.id), 'not_found');
    const members = (await admin.api.conversations.get(conversation.id)).members.map((m) => m.userId);
    expect(members).not.toContain(fx.users.agent.id);
  });

  it('signs out: the session ends on the server', async () => {
    const { client, user } = await open(fx.emails.supervisor);
    expect((await client.api.auth.me()).user.id).toBe(user.id);
    await client.api.auth.logout();
    const err = await client.api.auth.me().then(
      () => null,
      (e: unknown) => e,
    );
    // Refused by the server (401), or ended locally first when the socket heard its session end.
    expect(err).toBeInstanceOf(SwitchboardError);
    const e = err as SwitchboardError;
    expect(e.status === 401 || e.code === 'session_revoked').toBe(true);
  });
});
