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

    await sql`delete from conversation_events where conversation_id = ${conversation.id} and seq = 3`.execute(
      platform.database.db,
    );
    const problems = await messengerSeqContinuity(platform.database.db);
    expect(problems).toEqual([`conversation ${conversation.id}: 4 events up to seq 5, expected 1..5`]);
    await messenger.close();
  });
});
