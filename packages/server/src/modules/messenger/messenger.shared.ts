import type { Attachment, Conversation, ConversationEvent } from '@switchboard/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { DB } from '../../schema.js';
import { conversationEventsRepo, type EventRow, type NewEvent } from './conversation-events.repo.js';
import { type ConversationRow, conversationsRepo, type MemberRow } from './conversations.repo.js';
import { messagesRepo } from './messages.repo.js';
import type { MessengerNotifier } from './notifier.js';
import type { OutboxDone } from './outbox-done.js';

export interface MessengerDeps {
  platform: Platform;
  notifier: MessengerNotifier;
  /** Set by the files module (`useAttachments`); without it a send with attachments is refused. */
  attachments?: AttachmentHooks;
  /** After commit: `userId` left (or was removed from) a conversation; the contact center hears it. */
  memberLeft?: (orgId: string, conversationId: string, userId: string) => void;
  /** Finished outbox rows; the send batcher deletes them in its transactions (outbox-done.ts). */
  outboxDone?: Pick<OutboxDone, 'take' | 'restore'>;
  /** Whether a message of `actor`'s in the conversation needs an outbox row (after-commit.ts `durable`). */
  outboxNeeded?: (actor: Actor, conversationId: string) => Promise<boolean>;
}

/** How the messenger asks the files module about attachments without reading its tables. */
export interface AttachmentHooks {
  /** The files' metadata, if `actor` uploaded them to this conversation and has not sent them yet. */
  resolve(actor: Actor, conversationId: string, fileIds: readonly string[]): Promise<Attachment[]>;
  /** After commit: the message now carries these files. */
  attached(actor: Actor, conversationId: string, messageId: string, fileIds: readonly string[]): Promise<void>;
  /** After commit: the message was deleted; its files go after the grace period. */
  deleted(orgId: string, messageId: string): Promise<void>;
}

/** Thrown inside a transaction to undo it and answer with something already known. */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

export function toConversation(row: ConversationRow, members: MemberRow[]): Conversation {
  return {
    id: row.id,
    orgId: row.orgId,
    kind: row.kind,
    name: row.name,
    status: row.status,
    createdBy: row.createdBy,
    lastSeq: Number(row.lastSeq),
    lastActivityAt: Number(row.lastActivityAt),
    createdAt: Number(row.createdAt),
    members: members.map((m) => ({
      userId: m.userId,
      role: m.role,
      lastReadSeq: Number(m.lastReadSeq),
      joinedAt: Number(m.joinedAt),
    })),
  };
}

/**
 * The caller's membership, or `not_found` — a conversation you are not in does not exist for you, so its
 * existence does not leak.
 */
export async function requireMember(
  db: Kysely<DB>,
  actor: Actor,
  conversationId: string,
): Promise<{ conversation: ConversationRow; member: MemberRow }> {
  const found = await conversationsRepo(db).findWithMember(actor.orgId, conversationId, actor.userId);
  if (!found) throw new AppError('not_found', 'no such conversation');
  return found;
}

/** Take the next seq and record the event, inside the caller's transaction. */
export async function appendEvent(
  tx: Kysely<DB>,
  orgId: string,
  conversationId: string,
  e: NewEvent,
  now: number,
  opts: { requireMember?: string } = {},
): Promise<EventRow> {
  const seq = await conversationsRepo(tx).nextSeq(orgId, conversationId, now, opts.requireMember);
  if (seq === undefined) throw new AppError('not_found', 'no such conversation');
  return conversationEventsRepo(tx).insertEvent(orgId, conversationId, seq, e, now);
}

/** Event rows as clients see them, each message event with the message as it is now. */
export async function toEvents(db: Kysely<DB>, orgId: string, rows: readonly EventRow[]): Promise<ConversationEvent[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.messageId ? [r.messageId] : [])))];
  const messages = new Map((await messagesRepo(db).byIds(orgId, ids)).map((m) => [m.id, m]));
  return rows.map((r) => {
    const message = r.messageId ? messages.get(r.messageId) : undefined;
    return {
      conversationId: r.conversationId,
      seq: Number(r.seq),
      type: r.type,
      actorId: r.actorId,
      createdAt: Number(r.createdAt),
      ...(message ? { message } : {}),
      ...(r.data ? { data: JSON.parse(r.data) } : {}),
    };
  });
}

/** After commit: build the events and hand them to the notifier. */
export async function publish(
  deps: MessengerDeps,
  orgId: string,
  rows: readonly EventRow[],
  conversation?: Conversation,
  known?: ConversationEvent[],
): Promise<ConversationEvent[]> {
  const events = known ?? (await toEvents(deps.platform.database.db, orgId, rows));
  for (const e of events) deps.notifier.event(e, conversation);
  return events;
}
