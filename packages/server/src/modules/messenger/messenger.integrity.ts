import { type Kysely, sql } from 'kysely';

/**
 * After a restore: every conversation's events must be exactly seq 1..last_seq. A conversation's events are
 * its `conversation_events` rows and its messages (each message is its own `message.created` event); the
 * primary key and the unique `(conversation_id, seq)` of messages forbid duplicates within each, and one seq
 * counter feeds both, so a count and a max equal to last_seq prove there is no gap. Returns one line per
 * broken conversation.
 */
// biome-ignore lint/suspicious/noExplicitAny: runs on a freshly restored database, typed or not
export async function messengerSeqContinuity(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ id: string; lastSeq: number | string; n: number | string; maxSeq: number | string }>`
    select c.id as id, c.last_seq as last_seq, count(e.seq) as n, coalesce(max(e.seq), 0) as max_seq
    from conversations c left join (
      select conversation_id, seq from conversation_events
      union all
      select conversation_id, seq from messages
    ) e on e.conversation_id = c.id
    group by c.id, c.last_seq
    having count(e.seq) <> c.last_seq or coalesce(max(e.seq), 0) <> c.last_seq`.execute(db);
  return rows.map(
    (r) =>
      `conversation ${r.id}: ${Number(r.n)} events up to seq ${Number(r.maxSeq)}, expected 1..${Number(r.lastSeq)}`,
  );
}
