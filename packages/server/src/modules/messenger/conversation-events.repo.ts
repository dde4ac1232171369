import type { ConversationEventType } from '@switchboard/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../schema.js';
import type { ConversationEventsTable } from './messenger.tables.js';

export type EventRow = Selectable<ConversationEventsTable>;

export interface NewEvent {
  type: ConversationEventType;
  actorId: string;
  messageId?: string | null;
  data?: Record<string, unknown> | null;
}

/**
 * A conversation's event log: every kept event with its seq. `message.created` events are the messages
 * themselves; the rest are rows of `conversation_events`. `db` may be a transaction.
 */
export function conversationEventsRepo(db: Kysely<DB>) {
  return {
    async insertEvent(orgId: string, conversationId: string, seq: number, e: NewEvent, now: number): Promise<EventRow> {
      const row: EventRow = {
        conversationId,
        seq,
        orgId,
        type: e.type,
        actorId: e.actorId,
        messageId: e.messageId ?? null,
        data: e.data ? JSON.stringify(e.data) : null,
        createdAt: now,
      };
      await db.insertInto('conversationEvents').values(row).execute();
      return row;
    },
    /**
     * Events of one conversation with `seq > after`, ascending: the `conversation_events` rows and, for
     * `message.created`, the messages themselves (a message is its own creation event: it carries the seq).
     * One statement, so both come from the same snapshot and a concurrent commit cannot open a gap.
     */
    async eventsAfter(orgId: string, conversationId: string, after: number, limit: number): Promise<EventRow[]> {
      const kept = db
        .selectFrom('conversationEvents')
        .select(['conversationId', 'seq', 'orgId', 'type', 'actorId', 'messageId', 'data', 'createdAt'])
        .where('conversationId', '=', conversationId)
        .where('orgId', '=', orgId)
        .where('seq', '>', after)
        .orderBy('seq', 'asc')
        .limit(limit);
      const created = db
        .selectFrom('messages')
        .select((eb) => [
          'conversationId',
          'seq',
          'orgId',
          eb.val<ConversationEventType>('message.created').as('type'),
          'senderId as actorId',
          eb.ref('id').$castTo<string | null>().as('messageId'),
          eb.lit(null).$castTo<string | null>().as('data'),
          'createdAt',
        ])
        .where('conversationId', '=', conversationId)
        .where('orgId', '=', orgId)
        .where('seq', '>', after)
        .orderBy('seq', 'asc')
        .limit(limit);
      // Each side in a subquery of its own: a compound SELECT takes ORDER BY and LIMIT only at its end.
      return db
        .selectFrom(
          db
            .selectFrom(kept.as('k'))
            .selectAll()
            .unionAll(db.selectFrom(created.as('m')).selectAll())
            .as('e'),
        )
        .selectAll()
        .orderBy('seq', 'asc')
        .limit(limit)
        .execute();
    },
  };
}
