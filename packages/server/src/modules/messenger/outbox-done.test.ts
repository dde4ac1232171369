import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { until } from '../../test/waits.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';
import { outboxDone } from './outbox-done.js';
import { sendBatcher } from './send-batcher.js';
import { orgWithUsers, type TestUser } from './test/fixture.js';

const silent = { error: () => {} };

describeStorage('finished outbox rows: deleted by the next send, or alone', (ctx) => {
  async function outboxRows(ids: string[]): Promise<string[]> {
    const rows = await ctx()
      .platform.database.db.selectFrom('messageOutbox')
      .select('messageId')
      .where('messageId', 'in', ids)
      .execute();
    return rows.map((r) => r.messageId).sort();
  }
  async function insertOutbox(ids: string[]): Promise<void> {
    await ctx()
      .platform.database.db.insertInto('messageOutbox')
      .values(ids.map((messageId) => ({ messageId, orgId: 'o', conversationId: 'c', actor: '{}', createdAt: 1 })))
      .execute();
  }

  it('the next send’s transaction deletes the finished rows it takes, and stores its own', async () => {
    const { platform } = ctx();
    const messenger = messengerService(platform, recordingNotifier().notifier);
    const [ann, bob] = (await orgWithUsers(platform, 2)) as [TestUser, TestUser];
    const { conversation } = await messenger.conversations.create(ann, { kind: 'direct', userId: bob.userId });
    const finished = [randomUUID(), randomUUID()];
    await insertOutbox(finished);
    const done = outboxDone(platform.database, silent);
    for (const id of finished) done.add(id);
    const taken: string[] = [];
    const batcher = sendBatcher(platform.database, () => platform.clock.now(), {
      take: () => {
        const ids = done.take();
        taken.push(...ids);
        return ids;
      },
      restore: done.restore,
    });
    const id = randomUUID();
    const outcome = await batcher.submit(
      {
        id,
        orgId: ann.orgId,
        conversationId: conversation.id,
        seq: 0,
        senderId: ann.userId,
        clientMsgId: randomUUID(),
        text: 'hi',
        replyToId: null,
        createdAt: 0,
        editedAt: null,
        deletedAt: null,
        attachments: null,
      },
      ann,
    );
    expect(outcome.kind).toBe('created');
    expect(taken.sort()).toEqual([...finished].sort());
    expect(await outboxRows([...finished, id])).toEqual([id]);
    await done.flush();
    await messenger.close();
  });

  it('rows no send takes are deleted alone after a short wait; given back, they wait again; flush deletes at once', async () => {
    const { platform } = ctx();
    const done = outboxDone(platform.database, silent);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await insertOutbox([a, b, c]);
    done.add(a);
    await until('the finished row to be deleted alone', async () => (await outboxRows([a])).length === 0);
    done.add(b);
    // A transaction took it and rolled back: it is deleted later all the same.
    done.restore(done.take());
    await until('the returned row to be deleted', async () => (await outboxRows([b])).length === 0);
    done.add(c);
    await done.flush();
    expect(await outboxRows([a, b, c])).toEqual([]);
    expect(done.take()).toEqual([]);
  });
});
