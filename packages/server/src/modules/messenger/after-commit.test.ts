import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { sleep } from '../../test/waits.js';
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
