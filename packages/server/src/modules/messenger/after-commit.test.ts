import { randomUUID } from 'node:crypto';
import type { Message } from '@switchboard/protocol';
import { expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import { describeStorage } from '../../test/storage.js';
import { sleep } from '../../test/waits.js';
import { afterCommitWork } from './after-commit.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';
import { orgWithUsers, type TestUser } from './test/fixture.js';

describeStorage('after-commit work and closing', (ctx) => {
  it('close() waits for the work stored messages started, so none runs on a closed database', async () => {
    const messenger = messengerService(ctx().platform, recordingNotifier().notifier);
    const [alice, bob] = (await orgWithUsers(ctx().platform, 2)) as [TestUser, TestUser];
    const { conversation } = await messenger.conversations.create(alice, {
      kind: 'group',
      name: 'g',
      memberIds: [bob.userId],
    });
    let release = () => {};
    const finished: string[] = [];
    messenger.onMessageStored(async (_actor, message) => {
      await new Promise<void>((r) => {
        release = r;
      });
      finished.push(message.id);
    });
    const { message } = await messenger.messages.send(alice, conversation.id, {
      clientMsgId: randomUUID(),
      text: 'hi',
    });

    // The listener is still running: close must not be done before it.
    let closed = false;
    const closing = messenger.close().then(() => {
      closed = true;
    });
    await sleep(50); // room for a wrong early close
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toEqual([message.id]);
  });
});

describeStorage('after-commit work: an outbox row only for messages a replayable listener needs', (ctx) => {
  it('writes the row when a listener needs the message, and otherwise neither the row nor that listener runs', async () => {
    const { platform } = ctx();
    const messenger = messengerService(platform, recordingNotifier().notifier);
    const [alice, bob] = (await orgWithUsers(platform, 2)) as [TestUser, TestUser];
    const { conversation } = await messenger.conversations.create(alice, { kind: 'direct', userId: bob.userId });
    const outboxHas = async (messageId: string) =>
      (await platform.database.db
        .selectFrom('messageOutbox')
        .select('messageId')
        .where('messageId', '=', messageId)
        .executeTakeFirst()) !== undefined;

    let needed = false;
    const asked: string[] = [];
    const replayed: string[] = [];
    messenger.onMessageStored((_actor, message) => void replayed.push(message.id), {
      replay: true,
      needs: (actor, conversationId) => {
        asked.push(`${actor.userId}:${conversationId}`);
        return needed;
      },
    });
    // A live-only listener that holds each message's work open: its row, if it has one, stays meanwhile.
    const seen: { id: string; row: boolean }[] = [];
    messenger.onMessageStored(async (_actor, message) => {
      seen.push({ id: message.id, row: await outboxHas(message.id) });
    });
    const send = async () =>
      (await messenger.messages.send(alice, conversation.id, { clientMsgId: randomUUID(), text: 'hi' })).message.id;

    const quiet = await send();
    needed = true;
    const loud = await send();
    await messenger.close();

    expect(asked).toEqual([`${alice.userId}:${conversation.id}`, `${alice.userId}:${conversation.id}`]);
    expect(seen).toEqual([
      { id: quiet, row: false },
      { id: loud, row: true },
    ]);
    expect(replayed).toEqual([loud]);
    // Both finished: no row is left for the drain.
    expect(await outboxHas(quiet)).toBe(false);
    expect(await outboxHas(loud)).toBe(false);
  });

  it('a message without a row: a live listener that fails is logged, and the others still run', async () => {
    const errors: string[] = [];
    const work = afterCommitWork(ctx().platform, { error: (_obj, msg) => void errors.push(msg) });
    const heard: string[] = [];
    let release = () => {};
    work.listen(
      () => {
        throw new Error('boom');
      },
      { replay: false },
    );
    work.listen((_actor, message) => void heard.push(message.id), { replay: false });
    work.listen(() => Promise.reject(new Error('later')), { replay: false });
    work.listen(
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
      { replay: false },
    );
    work.listen(() => void heard.push('replayable'), { replay: true });
    const message = { id: randomUUID(), conversationId: randomUUID() } as Message;
    let done = false;
    void work.stored({ userId: 'u' } as Actor, message, { kind: 'direct' }, false).then(() => {
      done = true;
    });
    const idle = work.idle();
    await sleep(20);
    expect([heard, done]).toEqual([[message.id], false]);
    release();
    await idle;
    expect(done).toBe(true);
    expect(errors).toEqual(['after-commit work failed', 'after-commit work failed']);
  });
});
