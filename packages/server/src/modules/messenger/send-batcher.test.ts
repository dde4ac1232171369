import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';
import { orgWithUsers, type TestUser } from './test/fixture.js';

describeStorage('send batches across conversations and orgs (group commit)', (ctx) => {
  it('sends issued together into several conversations: each numbered gap-free in issue order, the twin answered with the first, the non-member refused', async () => {
    const messenger = messengerService(ctx().platform, recordingNotifier().notifier);
    const [ann, bob, cat] = (await orgWithUsers(ctx().platform, 3)) as [TestUser, TestUser, TestUser];
    const group = async (by: TestUser, members: TestUser[]) =>
      (await messenger.conversations.create(by, { kind: 'group', name: 'g', memberIds: members.map((m) => m.userId) }))
        .conversation.id;
    const one = await group(ann, [bob]); // ann, bob
    const two = await group(bob, [cat]); // bob, cat — ann is not in it
    const three = await group(cat, [ann, bob]);
    const twin = randomUUID();
    // Issued together, so they queue while one commit is in flight and go into shared batches.
    const sends = [
      { who: ann, in: one, id: randomUUID(), text: 'one-1' },
      { who: bob, in: two, id: randomUUID(), text: 'two-1' },
      { who: ann, in: two, id: randomUUID(), text: 'not a member' },
      { who: cat, in: three, id: twin, text: 'three-1' },
      { who: bob, in: one, id: randomUUID(), text: 'one-2' },
      { who: cat, in: three, id: twin, text: 'three-1 again' },
      { who: cat, in: two, id: randomUUID(), text: 'two-2' },
      { who: ann, in: three, id: randomUUID(), text: 'three-2' },
    ];
    const results = await Promise.allSettled(
      sends.map((s) => messenger.messages.send(s.who, s.in, { clientMsgId: s.id, text: s.text })),
    );
    const refused = results[2];
    expect(refused?.status).toBe('rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    const value = (i: number) => {
      const r = results[i];
      return r?.status === 'fulfilled' ? r.value : undefined;
    };
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    // The twin is answered with the first one's message.
    const [first, again] = [value(3), value(5)];
    expect(first?.duplicate).toBe(false);
    expect(again?.duplicate).toBe(true);
    expect(again?.message.id).toBe(first?.message.id);
    // Each conversation's messages: seq 1.. in the order they were issued, nothing else stored.
    const texts = async (who: TestUser, id: string) =>
      (await messenger.messages.history(who, id)).items
        .map((m) => [m.seq, m.text])
        .sort((x, y) => Number(x[0]) - Number(y[0]));
    const base = async (who: TestUser, id: string) =>
      Math.min(...(await messenger.messages.history(who, id)).items.map((m) => m.seq));
    const b1 = await base(ann, one);
    expect(await texts(ann, one)).toEqual([
      [b1, 'one-1'],
      [b1 + 1, 'one-2'],
    ]);
    const b2 = await base(bob, two);
    expect(await texts(bob, two)).toEqual([
      [b2, 'two-1'],
      [b2 + 1, 'two-2'],
    ]);
    const b3 = await base(cat, three);
    expect(await texts(cat, three)).toEqual([
      [b3, 'three-1'],
      [b3 + 1, 'three-2'],
    ]);
    await messenger.close();
  });

  it('sends of two orgs issued together (one SQLite transaction): each org numbered on its own, a conversation id of the other org refused', async () => {
    const messenger = messengerService(ctx().platform, recordingNotifier().notifier);
    const [ann, bob] = (await orgWithUsers(ctx().platform, 2)) as [TestUser, TestUser];
    const [xia, yan] = (await orgWithUsers(ctx().platform, 2)) as [TestUser, TestUser];
    const a = (await messenger.conversations.create(ann, { kind: 'group', name: 'a', memberIds: [bob.userId] }))
      .conversation.id;
    const x = (await messenger.conversations.create(xia, { kind: 'group', name: 'x', memberIds: [yan.userId] }))
      .conversation.id;
    const sends = [
      { who: ann, in: a, text: 'a-1' },
      { who: xia, in: x, text: 'x-1' },
      // Org X's user names org A's conversation: the same batch, refused as if it did not exist.
      { who: yan, in: a, text: 'intruder' },
      { who: bob, in: a, text: 'a-2' },
      { who: yan, in: x, text: 'x-2' },
    ];
    const results = await Promise.allSettled(
      sends.map((s) => messenger.messages.send(s.who, s.in, { clientMsgId: randomUUID(), text: s.text })),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    const texts = async (who: TestUser, id: string) =>
      (await messenger.messages.history(who, id)).items
        .sort((m, n) => Number(m.seq) - Number(n.seq))
        .map((m) => [m.senderId, m.text]);
    expect(await texts(ann, a)).toEqual([
      [ann.userId, 'a-1'],
      [bob.userId, 'a-2'],
    ]);
    expect(await texts(xia, x)).toEqual([
      [xia.userId, 'x-1'],
      [yan.userId, 'x-2'],
    ]);
    await messenger.close();
  });

  it('sends wait while a checkpoint holds commits, and go out in order once it ends', async () => {
    let release = () => {};
    let hold: Promise<void> | undefined = new Promise<void>((resolve) => {
      release = () => {
        hold = undefined;
        resolve();
      };
    });
    const { platform } = ctx();
    const held = { ...platform, database: { ...platform.database, checkpointHold: () => hold } };
    const messenger = messengerService(held, recordingNotifier().notifier);
    const [ann, bob] = (await orgWithUsers(platform, 2)) as [TestUser, TestUser];
    const id = (await messenger.conversations.create(ann, { kind: 'group', name: 'g', memberIds: [bob.userId] }))
      .conversation.id;
    const acked: string[] = [];
    const sends = ['h-1', 'h-2', 'h-3'].map((text, i) =>
      messenger.messages
        .send(i === 1 ? bob : ann, id, { clientMsgId: randomUUID(), text })
        .then(() => acked.push(text)),
    );
    await new Promise((r) => setTimeout(r, 30));
    const stored = async () =>
      (await messenger.messages.history(ann, id)).items.sort((a, b) => a.seq - b.seq).map((m) => m.text);
    expect([acked, await stored()]).toEqual([[], []]);
    release();
    await Promise.all(sends);
    expect(acked).toEqual(['h-1', 'h-2', 'h-3']);
    expect(await stored()).toEqual(['h-1', 'h-2', 'h-3']);
    await messenger.close();
  });
});
