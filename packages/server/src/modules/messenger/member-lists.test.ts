import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import { openDatabase } from '../../platform/db/database.js';
import { describeStorage } from '../../test/storage.js';
import { memberListsOf } from './member-lists.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';
import { must, orgWithUsers } from './test/fixture.js';

describeStorage('member lists', (ctx) => {
  let messenger: ReturnType<typeof messengerService>;
  let alice: Actor;
  let bob: Actor;
  let carol: Actor;
  const lists = () => memberListsOf(ctx().platform.database);
  const db = () => ctx().platform.database.db;
  const membersOf = async (conversationId: string) =>
    [...((await lists().of(db(), alice.orgId, [conversationId])).get(conversationId)?.ids ?? [])].sort();
  const send = (actor: Actor, conversationId: string) =>
    messenger.messages.send(actor, conversationId, { clientMsgId: randomUUID(), text: 'hi' });

  beforeAll(async () => {
    messenger = messengerService(ctx().platform, recordingNotifier().notifier);
    const users = await orgWithUsers(ctx().platform, 3);
    [alice, bob, carol] = [must(users[0]), must(users[1]), must(users[2])];
  });
  afterAll(() => messenger.close());

  it('answers a removal, a re-add and a leave at the next question', async () => {
    const g = (await messenger.conversations.create(alice, { kind: 'group', name: 'g', memberIds: [bob.userId] }))
      .conversation;
    await send(bob, g.id);
    expect(await membersOf(g.id)).toEqual([alice.userId, bob.userId].sort());

    await messenger.conversations.removeMember(alice, g.id, bob.userId);
    await expect(send(bob, g.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await membersOf(g.id)).toEqual([alice.userId]);
    expect(await messenger.conversations.memberIds(alice.orgId, g.id)).toEqual([alice.userId]);

    await messenger.conversations.addMembers(alice, g.id, { userIds: [bob.userId, carol.userId] });
    await send(bob, g.id);
    await messenger.conversations.leave(carol, g.id);
    await expect(send(carol, g.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await membersOf(g.id)).toEqual([alice.userId, bob.userId].sort());
  });

  it('answers a conversation deleted under it (the members go by cascade)', async () => {
    const d = (await messenger.conversations.create(alice, { kind: 'direct', userId: carol.userId })).conversation;
    expect(await membersOf(d.id)).toEqual([alice.userId, carol.userId].sort());
    await db().deleteFrom('conversations').where('id', '=', d.id).execute();
    expect(await membersOf(d.id)).toEqual([]);
    expect((await lists().among(db(), alice.orgId, [{ conversationId: d.id, userId: alice.userId }])).size).toBe(0);
  });

  it('keeps lists apart by org', async () => {
    const d = (await messenger.conversations.create(alice, { kind: 'direct', userId: bob.userId })).conversation;
    expect(await membersOf(d.id)).toHaveLength(2);
    const other = (await lists().of(db(), randomUUID(), [d.id])).get(d.id);
    expect(other?.ids).toEqual([]);
  });

  it('answers a change another connection (another process) made', async () => {
    const g = (await messenger.conversations.create(alice, { kind: 'group', name: 'h', memberIds: [bob.userId] }))
      .conversation;
    expect(await membersOf(g.id)).toEqual([alice.userId, bob.userId].sort());
    const other = await openDatabase(ctx().platform.database.options);
    try {
      await other.db
        .insertInto('conversationMembers')
        .values({
          conversationId: g.id,
          userId: carol.userId,
          orgId: alice.orgId,
          role: 'member',
          lastReadSeq: 0,
          joinedAt: 0,
        })
        .execute();
    } finally {
      await other.close();
    }
    expect(await membersOf(g.id)).toEqual([alice.userId, bob.userId, carol.userId].sort());
  });
});
