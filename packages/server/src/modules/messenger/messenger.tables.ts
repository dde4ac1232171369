import type { ConversationEventType, ConversationKind, MemberRole } from '@switchboard/protocol';
import { sql } from 'kysely';
import type { ModuleMigration } from '../../platform/db/migration.js';

export interface ConversationsTable {
  id: string;
  orgId: string;
  kind: ConversationKind;
  name: string | null;
  status: string | null;
  /** `userA:userB` (sorted) for a direct conversation, so the pair is unique per org; null otherwise. */
  directKey: string | null;
  createdBy: string;
  /** The seq of the newest kept event; incremented inside each event's transaction (the row lock orders writers). */
  lastSeq: number;
  lastActivityAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface ConversationMembersTable {
  conversationId: string;
  userId: string;
  orgId: string;
  role: MemberRole;
  lastReadSeq: number;
  joinedAt: number;
}

export interface MessagesTable {
  id: string;
  orgId: string;
  conversationId: string;
  /** The seq of the `message.created` event. */
  seq: number;
  senderId: string;
  clientMsgId: string;
  /** Null once deleted (the tombstone keeps no text). */
  text: string | null;
  replyToId: string | null;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  /** JSON array of the attached files' metadata (protocol `Attachment`), or null; owned by the files module's hooks. */
  attachments: string | null;
}

export interface MessageEditsTable {
  messageId: string;
  /** The text this edit replaced. */
  text: string;
  editedAt: number;
}

export interface MessageReactionsTable {
  messageId: string;
  userId: string;
  emoji: string;
  createdAt: number;
}

export interface ConversationEventsTable {
  conversationId: string;
  seq: number;
  orgId: string;
  type: ConversationEventType;
  actorId: string;
  messageId: string | null;
  /** JSON of the event's small data (member, name, emoji); message content is read from `messages`. */
  data: string | null;
  createdAt: number;
}

/**
 * Stored messages whose after-commit work (the listeners of `onMessageStored`: AI draft, notifications) has
 * not finished yet. Written in the send's own transaction and deleted once the listeners are done, so a crash
 * between the commit and that work loses nothing: the drain runs it again at start and every few seconds.
 */
export interface MessageOutboxTable {
  messageId: string;
  orgId: string;
  conversationId: string;
  /** The sender as the listeners see them (JSON `Actor`). */
  actor: string;
  createdAt: number;
}

/**
 * SQLite only: how many times `conversation_members` changed (a trigger counts every insert, delete and key
 * update, cascades and other processes included). The in-memory member lists (member-lists.ts) trust what they
 * hold only while this count stands still.
 */
export interface MemberChangesTable {
  id: number;
  n: number;
}

export interface MessengerTables {
  memberChanges: MemberChangesTable;
  messageOutbox: MessageOutboxTable;
  conversations: ConversationsTable;
  conversationMembers: ConversationMembersTable;
  messages: MessagesTable;
  messageEdits: MessageEditsTable;
  messageReactions: MessageReactionsTable;
  conversationEvents: ConversationEventsTable;
}

export const messengerMigrations: ModuleMigration[] = [
  {
    name: '0200_messenger_create',
    async up(db) {
      await db.schema
        .createTable('conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('status', 'text')
        .addColumn('directKey', 'text')
        .addColumn('createdBy', 'text', (c) => c.notNull())
        .addColumn('lastSeq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('lastActivityAt', 'bigint', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('updatedAt', 'bigint', (c) => c.notNull())
        .execute();
      // One direct conversation per pair; NULL keys (groups, support) never collide.
      await db.schema
        .createIndex('conversations_direct_key_unique')
        .on('conversations')
        .columns(['orgId', 'directKey'])
        .unique()
        .execute();

      await db.schema
        .createTable('conversationMembers')
        .addColumn('conversationId', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull())
        .addColumn('orgId', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('lastReadSeq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('joinedAt', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('conversation_members_pk', ['conversationId', 'userId'])
        .execute();
      // "My conversations" (list, sync, rooms at connect) starts from the user.
      await db.schema
        .createIndex('conversation_members_user_idx')
        .on('conversationMembers')
        .columns(['userId', 'conversationId'])
        .execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull())
        .addColumn('conversationId', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('senderId', 'text', (c) => c.notNull())
        .addColumn('clientMsgId', 'text', (c) => c.notNull())
        .addColumn('text', 'text')
        .addColumn('replyToId', 'text')
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addColumn('editedAt', 'bigint')
        .addColumn('deletedAt', 'bigint')
        .addUniqueConstraint('messages_client_msg_unique', ['conversationId', 'senderId', 'clientMsgId'])
        .execute();
      // History paging, unread counts and the last-message preview are all range scans on this index.
      await db.schema
        .createIndex('messages_conversation_seq_unique')
        .on('messages')
        .columns(['conversationId', 'seq'])
        .unique()
        .execute();

      await db.schema
        .createTable('messageEdits')
        .addColumn('messageId', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('editedAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('message_edits_message_idx').on('messageEdits').columns(['messageId']).execute();

      await db.schema
        .createTable('messageReactions')
        .addColumn('messageId', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
        .addColumn('userId', 'text', (c) => c.notNull())
        .addColumn('emoji', 'text', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('message_reactions_pk', ['messageId', 'emoji', 'userId'])
        .execute();

      await db.schema
        .createTable('conversationEvents')
        .addColumn('conversationId', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('orgId', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('actorId', 'text', (c) => c.notNull())
        .addColumn('messageId', 'text')
        .addColumn('data', 'text')
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        // Sync reads "events of conversation C after seq S" straight off the primary key.
        .addPrimaryKeyConstraint('conversation_events_pk', ['conversationId', 'seq'])
        .execute();
    },
  },
  {
    name: '0910_messenger_attachments',
    async up(db) {
      await db.schema.alterTable('messages').addColumn('attachments', 'text').execute();
    },
  },
  {
    name: '0990_messenger_outbox',
    async up(db) {
      await db.schema
        .createTable('messageOutbox')
        .addColumn('messageId', 'text', (c) => c.primaryKey())
        .addColumn('orgId', 'text', (c) => c.notNull())
        .addColumn('conversationId', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('createdAt', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('message_outbox_created_idx').on('messageOutbox').column('createdAt').execute();
    },
  },
  {
    // Full-text search over message texts: an external-content FTS5 table kept in step by triggers on
    // SQLite, an expression GIN index on PostgreSQL ('simple' configuration: no language is assumed).
    name: '1030_messenger_search',
    async up(db, dialect) {
      if (dialect === 'sqlite') {
        await sql`create virtual table messages_fts using fts5(text, content='messages', content_rowid='rowid')`.execute(
          db,
        );
        await sql`create trigger messages_fts_insert after insert on messages begin
          insert into messages_fts(rowid, text) values (new.rowid, new.text); end`.execute(db);
        await sql`create trigger messages_fts_delete after delete on messages begin
          insert into messages_fts(messages_fts, rowid, text) values ('delete', old.rowid, old.text); end`.execute(db);
        await sql`create trigger messages_fts_update after update of text on messages begin
          insert into messages_fts(messages_fts, rowid, text) values ('delete', old.rowid, old.text);
          insert into messages_fts(rowid, text) values (new.rowid, new.text); end`.execute(db);
        await sql`insert into messages_fts(messages_fts) values ('rebuild')`.execute(db);
      } else {
        await sql`create index messages_text_search on messages using gin (to_tsvector('simple', coalesce(text, '')))`.execute(
          db,
        );
      }
    },
  },
  {
    // A contact's support conversations: the inbox's customer filter (past conversations beside the chat)
    // and the support search's customer matches.
    name: '1070_messenger_conversations_by_creator',
    async up(db) {
      await db.schema
        .createIndex('conversations_org_creator_idx')
        .on('conversations')
        .columns(['orgId', 'createdBy'])
        .execute();
    },
  },
  {
    // SQLite: new message texts enter the FTS5 index in batches behind the sends (search-index.ts) instead
    // of by a trigger in every send's transaction, where the index's own writes were about 60% of a
    // one-message commit. `messages_fts_mark.indexed`: every message up to this rowid is indexed. Edits and
    // deletes of indexed messages still update the index in their own transaction; a delete also lowers the
    // mark below a freed top rowid, which SQLite may hand out again.
    name: '1080_messenger_search_in_batches',
    async up(db, dialect) {
      if (dialect !== 'sqlite') return;
      await sql`create table messages_fts_mark (id integer primary key check (id = 1), indexed integer not null)`.execute(
        db,
      );
      await sql`insert into messages_fts_mark (id, indexed) values (1, coalesce((select max(rowid) from messages), 0))`.execute(
        db,
      );
      await sql`drop trigger messages_fts_insert`.execute(db);
      await sql`drop trigger messages_fts_delete`.execute(db);
      await sql`drop trigger messages_fts_update`.execute(db);
      await sql`create trigger messages_fts_delete after delete on messages begin
          insert into messages_fts(messages_fts, rowid, text) select 'delete', old.rowid, old.text
            where old.rowid <= (select indexed from messages_fts_mark);
          update messages_fts_mark set indexed = min(indexed, coalesce((select max(rowid) from messages), 0));
        end`.execute(db);
      await sql`create trigger messages_fts_update after update of text on messages
          when old.rowid <= (select indexed from messages_fts_mark) begin
          insert into messages_fts(messages_fts, rowid, text) values ('delete', old.rowid, old.text);
          insert into messages_fts(rowid, text) values (new.rowid, new.text);
        end`.execute(db);
    },
  },
  {
    // A message is its own `message.created` event: its row carries the conversation seq, and sync reads it
    // beside the other events (conversation-events.repo.ts `eventsAfter`). The event row each send also wrote was a
    // copy of what the message row says, one more B-tree page per message in every commit (docs/performance.md).
    name: '1110_messenger_messages_are_their_created_events',
    async up(db) {
      await sql`delete from conversation_events where type = 'message.created'`.execute(db);
    },
  },
  {
    // SQLite: member lists are kept in memory (member-lists.ts), and this count tells them when to forget.
    name: '1120_messenger_member_change_count',
    async up(db, dialect) {
      if (dialect !== 'sqlite') return;
      await sql`create table member_changes (id integer primary key check (id = 1), n integer not null)`.execute(db);
      await sql`insert into member_changes (id, n) values (1, 0)`.execute(db);
      for (const change of ['insert', 'delete', 'update of conversation_id, user_id, org_id']) {
        const name = sql.raw(`member_changes_${change.split(' ')[0]}`);
        await sql`create trigger ${name} after ${sql.raw(change)} on conversation_members begin
            update member_changes set n = n + 1 where id = 1;
          end`.execute(db);
      }
    },
  },
];
