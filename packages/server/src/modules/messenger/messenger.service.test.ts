import { randomUUID } from 'node:crypto';
import type { ConversationEvent } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import { describeStorage } from '../../test/storage.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';
import { must, orgWithUsers } from './test/fixture.js';

describeStorage('messenger service', (ctx) => {
  let users: Actor[];
  let alice: Actor;
  let bob: Actor;
  let carol: Actor;
  let messenger: ReturnType<typeof messengerService>;
  let rec: ReturnType<typeof recordingNotifier>;

  // Every service made here: closing them lets their after-commit work finish before the database closes.
  const services: ReturnType<typeof messengerService>[] = [];
  const service = (notifier: ReturnType<typeof recordingNotifier>['notifier']) => {
    const s = messengerService(ctx().platform, notifier);
    services.push(s);
    return s;
  };
  afterAll(() => Promise.all(services.map((s) => s.close())));

  beforeAll(async () => {
    rec = recordingNotifier();
    messenger = service(rec.notifier);
    users = await orgWithUsers(ctx().platform, 4);
    [alice, bob, carol] = users.map((u) => u) as [Actor, Actor, Actor];
  });

  const group = async (owner: Actor, members: Actor[], name = 'g') =>
    (await messenger.conversations.create(owner, { kind: 'group', name, memberIds: members.map((m) => m.userId) }))
      .conversation;

  describe('conversations', () => {
    it('keeps one direct conversation per pair, whoever starts it', async () => {
      const a = await messenger.conversations.create(alice, { kind: 'direct', userId: bob.userId });
      const b = await messenger.conversations.create(bob, { kind: 'direct', userId: alice.userId });
      expect(a.created).toBe(true);
      expect(b).toEqual({ conversation: a.conversation, created: false });
      expect(a.conversation.members.map((m) => m.userId).sort()).toEqual([alice.userId, bob.userId].sort());
      await expect(
        messenger.conversations.create(alice, { kind: 'direct', userId: alice.userId }),
      ).rejects.toMatchObject({ code: 'bad_request' });
      await expect(
        messenger.conversations.create(alice, { kind: 'direct', userId: randomUUID() }),
      ).rejects.toMatchObject({ code: 'not_found' });
    });

    it('answers member lists asked for together (one query), each its own, and never from a stale cache', async () => {
      // Orgs of its own: the sync tests below read every event of alice's conversations.
      const [a, b, c] = await orgWithUsers(ctx().platform, 3);
      const [x, y] = await orgWithUsers(ctx().platform, 2);
      if (!a || !b || !c || !x || !y) throw new Error('fixture');
      const g = (await messenger.conversations.create(a, { kind: 'group', name: 'm', memberIds: [b.userId] }))
        .conversation;
      const d = (await messenger.conversations.create(a, { kind: 'direct', userId: c.userId })).conversation;
      const elsewhere = (await messenger.conversations.create(x, { kind: 'direct', userId: y.userId })).conversation;
      const sorted = (ids: Promise<readonly string[]>) => ids.then((l) => [...l].sort());
      const { memberIds } = messenger.conversations;
      // Asked in one turn: two conversations, one of them twice, another org's (and it under the wrong org),
      // and an unknown id.
      expect(
        await Promise.all([
          sorted(memberIds(a.orgId, g.id)),
          sorted(memberIds(a.orgId, d.id)),
          sorted(memberIds(a.orgId, g.id)),
          sorted(memberIds(x.orgId, elsewhere.id)),
          memberIds(a.orgId, elsewhere.id),
          memberIds(a.orgId, randomUUID()),
        ]),
      ).toEqual([
        [a.userId, b.userId].sort(),
        [a.userId, c.userId].sort(),
        [a.userId, b.userId].sort(),
        [x.userId, y.userId].sort(),
        [],
        [],
      ]);
      await messenger.conversations.addMembers(a, g.id, { userIds: [c.userId] });
      expect(await sorted(memberIds(a.orgId, g.id))).toEqual([a.userId, b.userId, c.userId].sort());
    });

    it('lets group admins add, remove and rename, members only leave; each change is an event', async () => {
      const g = await group(alice, [bob]);
      expect(g.lastSeq).toBe(0);
      await expect(messenger.conversations.rename(bob, g.id, 'x')).rejects.toMatchObject({ code: 'forbidden' });
      await expect(messenger.conversations.addMembers(bob, g.id, { userIds: [carol.userId] })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await messenger.conversations.rename(alice, g.id, 'Launch');
      const added = await messenger.conversations.addMembers(alice, g.id, { userIds: [carol.userId, bob.userId] });
      expect(added.members).toHaveLength(3);
      expect(added.name).toBe('Launch');
      await expect(messenger.conversations.removeMember(bob, g.id, carol.userId)).rejects.toMatchObject({
        code: 'forbidden',
      });
      await messenger.conversations.removeMember(alice, g.id, carol.userId);
      await messenger.conversations.leave(bob, g.id);
      await expect(messenger.conversations.get(bob, g.id)).rejects.toMatchObject({ code: 'not_found' });
      const { events } = await messenger.sync.sync(alice, { since: { [g.id]: 0 } });
      expect(events.map((e) => [e.seq, e.type, e.data?.userId ?? e.data?.name])).toEqual([
        [1, 'conversation.renamed', 'Launch'],
        [2, 'member.joined', carol.userId],
        [3, 'member.left', carol.userId],
        [4, 'member.left', bob.userId],
      ]);
      expect(rec.calls.some((c) => c.kind === 'leave' && c.args[0] === g.id)).toBe(true);
    });

    it('hands admin to the longest-standing member when the last admin leaves', async () => {
      const g = await group(alice, [bob, carol]);
      await messenger.conversations.leave(alice, g.id);
      const after = await messenger.conversations.get(bob, g.id);
      expect(after.members.filter((m) => m.role === 'admin')).toHaveLength(1);
    });

    it('lists conversations by last activity with preview and unread count, paged', async () => {
      const [me, a, b, c] = await orgWithUsers(ctx().platform, 4);
      const convs = [];
      for (const other of [a, b, c]) {
        convs.push(
          (await messenger.conversations.create(must(me), { kind: 'direct', userId: must(other).userId })).conversation,
        );
      }
      await messenger.messages.send(must(a), must(convs[0]).id, { clientMsgId: randomUUID(), text: 'one' });
      await messenger.messages.send(must(a), must(convs[0]).id, { clientMsgId: randomUUID(), text: 'two' });
      await messenger.messages.send(must(me), must(convs[0]).id, { clientMsgId: randomUUID(), text: 'mine' });
      const first = await messenger.conversations.list(must(me), { limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.items[0]).toMatchObject({
        id: must(convs[0]).id,
        unreadCount: 2,
        lastMessage: { text: 'mine' },
        memberCount: 2,
      });
      const second = await messenger.conversations.list(must(me), { limit: 2, cursor: must(first.nextCursor) });
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeUndefined();
      const ids = [...first.items, ...second.items].map((i) => i.id);
      expect(new Set(ids).size).toBe(3);
      await expect(messenger.conversations.list(must(me), { cursor: 'garbage' })).rejects.toMatchObject({
        code: 'invalid_cursor',
      });
    });
  });

  describe('idempotent send', () => {
    it('returns the original for a repeat, also with a different body', async () => {
      const g = await group(alice, [bob]);
      const clientMsgId = randomUUID();
      const r1 = await messenger.messages.send(alice, g.id, { clientMsgId, text: 'hello' });
      const r2 = await messenger.messages.send(alice, g.id, { clientMsgId, text: 'hello' });
      const r3 = await messenger.messages.send(alice, g.id, { clientMsgId, text: 'something else' });
      expect([r1.duplicate, r2.duplicate, r3.duplicate]).toEqual([false, true, true]);
      expect(new Set([r1.message.id, r2.message.id, r3.message.id]).size).toBe(1);
      expect(r3.message.text).toBe('hello');
      const page = await messenger.messages.history(alice, g.id);
      expect(page.items).toHaveLength(1);
    });

    it('stores one message when 50 identical sends race', async () => {
      const g = await group(alice, [bob]);
      const clientMsgId = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => messenger.messages.send(alice, g.id, { clientMsgId, text: 'race' })),
      );
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const page = await messenger.messages.history(alice, g.id);
      expect(page.items).toHaveLength(1);
      expect((await messenger.conversations.get(alice, g.id)).lastSeq).toBe(1);
    });

    it('stores one message when identical sends race through five nodes (separate services, one database)', async () => {
      const g = await group(alice, [bob]);
      const nodes = Array.from({ length: 5 }, () => service(recordingNotifier().notifier));
      const clientMsgId = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          must(nodes[i % 5]).messages.send(alice, g.id, { clientMsgId, text: 'race' }),
        ),
      );
      expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect((await messenger.conversations.get(alice, g.id)).lastSeq).toBe(1);
    });

    it('treats the same clientMsgId in another conversation, or from another sender, as a new message', async () => {
      const g1 = await group(alice, [bob]);
      const g2 = await group(alice, [bob]);
      const clientMsgId = randomUUID();
      const a = await messenger.messages.send(alice, g1.id, { clientMsgId, text: 'x' });
      const b = await messenger.messages.send(alice, g2.id, { clientMsgId, text: 'x' });
      const c = await messenger.messages.send(bob, g1.id, { clientMsgId, text: 'x' });
      expect(new Set([a.message.id, b.message.id, c.message.id]).size).toBe(3);
      expect([a.duplicate, b.duplicate, c.duplicate]).toEqual([false, false, false]);
    });
  });

  it('orders 10 senders × 50 concurrent messages gap-free, each sender in send order (20 × 200 over sockets in messenger.socket.test)', async () => {
    const [owner, ...senders] = await orgWithUsers(ctx().platform, 10);
    const g = await group(must(owner), senders);
    const everyone = [must(owner), ...senders];
    await Promise.all(
      everyone.map(async (s, i) => {
        for (let n = 0; n < 50; n++)
          await messenger.messages.send(s, g.id, { clientMsgId: randomUUID(), text: `${i}:${n}` });
      }),
    );
    for (const member of [must(owner), must(senders[7])]) {
      const events: ConversationEvent[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await messenger.sync.sync(member, {
          cursor,
          since: cursor ? undefined : { [g.id]: 0 },
          limit: 1000,
        });
        events.push(...page.events);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(events).toHaveLength(500);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, k) => k + 1));
      const perSender = new Map<string, number[]>();
      for (const e of events) {
        const [who, n] = must(e.message?.text ?? undefined)
          .split(':')
          .map(Number);
        perSender.set(String(who), [...(perSender.get(String(who)) ?? []), must(n)]);
      }
      expect(perSender.size).toBe(10);
      for (const ns of perSender.values()) expect(ns).toEqual(Array.from({ length: 50 }, (_, k) => k));
    }
  }, 120_000);
});
