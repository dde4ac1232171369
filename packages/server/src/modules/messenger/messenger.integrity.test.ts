import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { messengerSeqContinuity } from './messenger.integrity.js';
import { messengerService } from './messenger.service.js';
import { recordingNotifier } from './notifier.js';
import { orgWithUsers } from './test/fixture.js';

describeStorage('messenger seq continuity check', (ctx) => {
  it('passes a healthy history and names a conversation with a gap', async () => {
    const { platform } = ctx();
    const messenger = messengerService(platform, recordingNotifier().notifier);
    const [alice, bob] = await orgWithUsers(platform, 2);
    if (!alice || !bob) throw new Error('fixture');
    const { conversation } = await messenger.conversations.create(alice, { kind: 'direct', userId: bob.userId });
    for (let i = 0; i < 5; i++) {
      await messenger.messages.send(alice, conversation.id, { clientMsgId: randomUUID(), text: `m${i}` });
    }
    expect(await messengerSeqContinuity(platform.database.db)).toEqual([]);

    // A message is its own creation event: losing its row is a gap.
    await sql`delete from messages where conversation_id = ${conversation.id} and seq = 3`.execute(
      platform.database.db,
    );
    expect(await messengerSeqContinuity(platform.database.db)).toEqual([
      `conversation ${conversation.id}: 4 events up to seq 5, expected 1..5`,
    ]);

    // So is losing a kept event's row (here a group's rename, seq 1).
    const { conversation: group } = await messenger.conversations.create(alice, {
      kind: 'group',
      name: 'g',
      memberIds: [bob.userId],
    });
    await messenger.conversations.rename(alice, group.id, 'renamed');
    await messenger.messages.send(alice, group.id, { clientMsgId: randomUUID(), text: 'after the rename' });
    await sql`delete from conversation_events where conversation_id = ${group.id} and seq = 1`.execute(
      platform.database.db,
    );
    expect((await messengerSeqContinuity(platform.database.db)).sort()).toEqual(
      [
        `conversation ${conversation.id}: 4 events up to seq 5, expected 1..5`,
        `conversation ${group.id}: 1 events up to seq 2, expected 1..2`,
      ].sort(),
    );
    await messenger.close();
  });
});
