import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';
import { must, orgWithUsers, type TestUser, until } from './test/fixture.js';
import { typingRelay } from './typing.js';

describeStorage(
  'messenger messages: edit, delete, react, history',
  (ctx) => {
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let messenger: ReturnType<typeof messengerService>;
    let rec: ReturnType<typeof recordingNotifier>;
    let groupId: string;

    beforeAll(async () => {
      rec = recordingNotifier();
      messenger = messengerService(ctx().platform, rec.notifier);
      [alice, bob, carol] = (await orgWithUsers(ctx().platform, 3)) as [TestUser, TestUser, TestUser];
      groupId = (
        await messenger.conversations.create(alice, { kind: 'group', name: 'g', memberIds: [bob.userId, carol.userId] })
      ).conversation.id;
    });
    // Its after-commit work finishes before the database closes.
    afterAll(() => messenger.close());

    const send = async (who: TestUser, text: string, replyToId?: string) =>
      (
        await messenger.messages.send(who, groupId, {
          clientMsgId: randomUUID(),
          text,
          ...(replyToId ? { replyToId } : {}),
        })
      ).message;

    it('keeps text verbatim (markup is data, not HTML) and links replies', async () => {
      const raw = '<script>alert(1)</script> & **bold**';
      const m = await send(bob, raw);
      expect(m.text).toBe(raw);
      const reply = await send(alice, 'answer', m.id);
      expect(reply.replyToId).toBe(m.id);
    });

    it('edits by the sender only, keeping the history, as a new event', async () => {
      const m = await send(bob, 'first');
      await expect(messenger.messages.edit(alice, m.id, { text: 'hijack' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      const edited = await messenger.messages.edit(bob, m.id, { text: 'second' });
      await messenger.messages.edit(bob, m.id, { text: 'third' });
      expect(edited).toMatchObject({ text: 'second', seq: m.seq });
      expect(edited.editedAt).not.toBeNull();
      expect((await messenger.messages.edits(carol, m.id)).items.map((e) => e.text)).toEqual(['first', 'second']);
      const types = rec.calls
        .filter((c) => c.kind === 'event')
        .map((c) => c.args[0] as { type: string; message?: { id: string } });
      expect(types.filter((e) => e.type === 'message.edited' && e.message?.id === m.id)).toHaveLength(2);
    });

    it('deletes by the sender or a group admin, leaving a tombstone; others may not', async () => {
      const m1 = await send(bob, 'oops');
      const m2 = await send(bob, 'rude');
      await expect(messenger.messages.delete(carol, m1.id)).rejects.toMatchObject({ code: 'forbidden' });
      const t1 = await messenger.messages.delete(bob, m1.id);
      const t2 = await messenger.messages.delete(alice, m2.id);
      for (const t of [t1, t2]) expect(t).toMatchObject({ text: null, deletedAt: expect.any(Number) });
      const seqBefore = (await messenger.conversations.get(alice, groupId)).lastSeq;
      expect(await messenger.messages.delete(bob, m1.id)).toEqual(t1);
      expect((await messenger.conversations.get(alice, groupId)).lastSeq).toBe(seqBefore);
      await expect(messenger.messages.edit(bob, m1.id, { text: 'back' })).rejects.toMatchObject({ code: 'conflict' });
      expect((await messenger.messages.edits(bob, m1.id)).items).toEqual([]);
      const { items } = await messenger.messages.history(carol, groupId, { limit: 100 });
      expect(items.find((i) => i.id === m1.id)).toMatchObject({ text: null });
    });

    it('adds and removes reactions, an event only when something changed', async () => {
      const m = await send(alice, 'react to me');
      const before = (await messenger.conversations.get(alice, groupId)).lastSeq;
      await messenger.messages.react(bob, m.id, { emoji: '👍' });
      const twice = await messenger.messages.react(bob, m.id, { emoji: '👍' });
      const both = await messenger.messages.react(carol, m.id, { emoji: '👍' });
      expect(twice.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [bob.userId] }]);
      expect(both.reactions).toEqual([{ emoji: '👍', count: 2, userIds: [bob.userId, carol.userId] }]);
      const off = await messenger.messages.react(bob, m.id, { emoji: '👍', on: false });
      expect(off.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [carol.userId] }]);
      expect((await messenger.conversations.get(alice, groupId)).lastSeq).toBe(before + 3);
    });

    it('pages history by seq both ways', async () => {
      const [owner, other] = await orgWithUsers(ctx().platform, 2);
      const id = (await messenger.conversations.create(must(owner), { kind: 'direct', userId: must(other).userId }))
        .conversation.id;
      for (let i = 1; i <= 7; i++)
        await messenger.messages.send(must(owner), id, { clientMsgId: randomUUID(), text: `m${i}` });
      const newest = await messenger.messages.history(must(other), id, { limit: 3 });
      expect(newest.items.map((m) => m.seq)).toEqual([7, 6, 5]);
      expect(newest.hasMore).toBe(true);
      const older = await messenger.messages.history(must(other), id, { before: 5, limit: 3 });
      expect(older.items.map((m) => m.seq)).toEqual([4, 3, 2]);
      const last = await messenger.messages.history(must(other), id, { before: 2, limit: 3 });
      expect([last.items.map((m) => m.seq), last.hasMore]).toEqual([[1], false]);
      const forward = await messenger.messages.history(must(other), id, { after: 5 });
      expect(forward.items.map((m) => m.seq)).toEqual([6, 7]);
      await expect(messenger.messages.history(must(other), id, { before: 3, after: 1 })).rejects.toThrow(
        /before or after/,
      );
    });

    it('answers resetRequired for a conversation too far behind and moves the cursor to its end', async () => {
      const [owner, other] = await orgWithUsers(ctx().platform, 2);
      const id = (await messenger.conversations.create(must(owner), { kind: 'direct', userId: must(other).userId }))
        .conversation.id;
      // This file runs with MESSENGER_SYNC_MAX_GAP=100.
      for (let i = 0; i < 101; i++)
        await messenger.messages.send(must(owner), id, { clientMsgId: randomUUID(), text: `${i}` });
      const far = await messenger.sync.sync(must(other), { since: { [id]: 0 } });
      expect([far.events, far.resetRequired]).toEqual([[], [{ conversationId: id, lastSeq: 101 }]]);
      const near = await messenger.sync.sync(must(other), { since: { [id]: 1 } });
      expect([near.events.length, near.resetRequired]).toEqual([100, []]);
      const ahead = await messenger.sync.sync(must(other), { since: { [id]: 500 } });
      expect(ahead.resetRequired).toEqual([{ conversationId: id, lastSeq: 101 }]);
      const next = await messenger.sync.sync(must(other), { cursor: ahead.cursor });
      expect([next.events, next.resetRequired, next.hasMore]).toEqual([[], [], false]);
      await expect(messenger.sync.sync(must(other), { cursor: 'not-base64-json' })).rejects.toMatchObject({
        code: 'invalid_cursor',
      });
    });
  },
  { MESSENGER_SYNC_MAX_GAP: '100' },
);

describe('typing relay', () => {
  it('relays start and stop, and ends a start that is not refreshed', async () => {
    const rec = recordingNotifier();
    const relay = typingRelay(rec.notifier, 30);
    relay.set('c', 'u', true);
    relay.set('c', 'u', false);
    relay.set('c', 'u', false);
    relay.set('c', 'v', true);
    await until(() => rec.calls.length === 4);
    expect(rec.calls.map((c) => c.args[0])).toEqual([
      { conversationId: 'c', userId: 'u', typing: true },
      { conversationId: 'c', userId: 'u', typing: false },
      { conversationId: 'c', userId: 'v', typing: true },
      { conversationId: 'c', userId: 'v', typing: false },
    ]);
    relay.close();
  });
});
