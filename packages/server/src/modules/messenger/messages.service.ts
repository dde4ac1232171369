import {
  type EditMessage,
  EditMessageSchema,
  type HistoryPage,
  type HistoryQuery,
  HistoryQuerySchema,
  MarkReadSchema,
  type Message,
  type React,
  ReactSchema,
  type ReadState,
  type SendMessage,
  SendMessageSchema,
} from '@switchboard/protocol';
import type { z } from 'zod';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import { timeOrderedId } from '../../platform/time-ordered-id.js';
import type { EventRow } from './conversation-events.repo.js';
import { type ConversationRow, conversationsRepo, isUniqueViolation } from './conversations.repo.js';
import { type MessageRow, messagesRepo, toMessage } from './messages.repo.js';
import { appendEvent, type MessengerDeps, publish, Rollback, requireMember } from './messenger.shared.js';
import { type SendOutcome, sendBatcher } from './send-batcher.js';

/** Messages: send (idempotent), history, edit, delete, react, read. */
export function messagesService(deps: MessengerDeps) {
  const { platform, notifier } = deps;
  const database = platform.database;
  const repo = messagesRepo(database.db);
  const batcher = sendBatcher(database, () => platform.clock.now(), deps.outboxDone, deps.outboxNeeded);

  async function one(orgId: string, id: string): Promise<Message> {
    const [m] = await repo.byIds(orgId, [id]);
    if (!m) throw new AppError('not_found', 'no such message');
    return m;
  }

  /** The message, if the caller is a member of its conversation; `not_found` otherwise. */
  async function requireMessage(actor: Actor, messageId: string) {
    const message = await repo.find(actor.orgId, messageId);
    if (!message) throw new AppError('not_found', 'no such message');
    const found = await requireMember(database.db, actor, message.conversationId);
    return { message, ...found };
  }

  /**
   * Change a message inside one transaction: take the conversation's next seq first (the row lock makes
   * the re-read of the message current), let `change` apply or `Rollback`, then publish after commit.
   */
  async function changeMessage(
    actor: Actor,
    messageId: string,
    conversationId: string,
    type: EventRow['type'],
    data: Record<string, unknown> | null,
    change: (tx: ReturnType<typeof messagesRepo>, current: MessageRow, now: number) => Promise<void>,
  ): Promise<Message> {
    const now = platform.clock.now();
    try {
      const event = await database.transaction(async (tx) => {
        const e = await appendEvent(
          tx,
          actor.orgId,
          conversationId,
          { type, actorId: actor.userId, messageId, data },
          now,
        );
        const r = messagesRepo(tx);
        const current = await r.find(actor.orgId, messageId);
        if (!current) throw new AppError('not_found', 'no such message');
        await change(r, current, now);
        return e;
      });
      const [published] = await publish(deps, actor.orgId, [event]);
      return published?.message ?? one(actor.orgId, messageId);
    } catch (err) {
      if (err instanceof Rollback) return one(actor.orgId, messageId);
      throw err;
    }
  }

  return {
    /**
     * Store a message once per (conversation, sender, clientMsgId) and answer only after the commit. A
     * repeat — sequential or racing — gets the original with `duplicate: true`. Membership and duplicates
     * are decided once, in the commit, under the conversation's row lock (send-batcher.ts): a look-up
     * before it would only repeat them. `conversationKind` and `recorded` (new messages only) are for the
     * after-commit work: the conversation's kind, and whether the message got an outbox row.
     */
    async send(
      actor: Actor,
      conversationId: string,
      input: SendMessage,
    ): Promise<{
      message: Message;
      duplicate: boolean;
      conversationKind?: ConversationRow['kind'];
      recorded?: boolean;
    }> {
      const data = SendMessageSchema.parse(input);
      const original = async () => {
        const row = await repo.findByClientMsgId(actor.orgId, conversationId, actor.userId, data.clientMsgId);
        return row ? { message: await one(actor.orgId, row.id), duplicate: true } : undefined;
      };
      const must = <T>(v: T | undefined): T => {
        if (v === undefined) throw new AppError('internal', 'the original of a duplicate send vanished');
        return v;
      };
      if (data.replyToId) {
        const target = await repo.find(actor.orgId, data.replyToId);
        if (target?.conversationId !== conversationId) throw new AppError('not_found', 'no such message to reply to');
      }
      const fileIds = data.attachments?.length ? [...new Set(data.attachments)] : [];
      if (fileIds.length && !deps.attachments) throw new AppError('bad_request', 'attachments are not available');
      // A repeat of a send with files: they are no longer unsent, so answer with the original first.
      const earlier = fileIds.length ? await original() : undefined;
      if (earlier) return earlier;
      const attachments = fileIds.length ? await deps.attachments?.resolve(actor, conversationId, fileIds) : undefined;
      const now = platform.clock.now();
      const row: MessageRow = {
        // Time-ordered (UUIDv7): each new id lands at the end of the primary-key index.
        id: timeOrderedId(),
        orgId: actor.orgId,
        conversationId,
        seq: 0,
        senderId: actor.userId,
        clientMsgId: data.clientMsgId,
        text: data.text,
        replyToId: data.replyToId ?? null,
        createdAt: now,
        editedAt: null,
        deletedAt: null,
        attachments: attachments?.length ? JSON.stringify(attachments) : null,
      };
      let outcome: SendOutcome;
      try {
        outcome = await batcher.submit(row, actor);
      } catch (err) {
        // The unique constraint is the last word, whatever path a twin took.
        const twin = isUniqueViolation(err) ? await original() : undefined;
        if (twin) return twin;
        throw err;
      }
      if (outcome.kind === 'duplicate') return must(await original());
      const { event } = outcome;
      const message = toMessage(outcome.row, []);
      if (fileIds.length) await deps.attachments?.attached(actor, conversationId, message.id, fileIds);
      await publish(deps, actor.orgId, [event], undefined, [
        {
          conversationId,
          seq: event.seq,
          type: 'message.created',
          actorId: actor.userId,
          createdAt: event.createdAt,
          message,
        },
      ]);
      return { message, duplicate: false, conversationKind: outcome.conversationKind, recorded: outcome.recorded };
    },

    async history(
      actor: Actor,
      conversationId: string,
      query: z.input<typeof HistoryQuerySchema> = {},
    ): Promise<HistoryPage> {
      const q: HistoryQuery = HistoryQuerySchema.parse(query);
      await requireMember(database.db, actor, conversationId);
      const rows = await repo.page(actor.orgId, conversationId, { ...q, limit: q.limit + 1 });
      return { items: rows.slice(0, q.limit), hasMore: rows.length > q.limit };
    },

    async get(actor: Actor, messageId: string): Promise<Message> {
      await requireMessage(actor, messageId);
      return one(actor.orgId, messageId);
    },

    async edits(actor: Actor, messageId: string): Promise<{ items: { text: string; editedAt: number }[] }> {
      await requireMessage(actor, messageId);
      return { items: await repo.edits(messageId) };
    },

    async edit(actor: Actor, messageId: string, input: EditMessage): Promise<Message> {
      const { text } = EditMessageSchema.parse(input);
      const { message } = await requireMessage(actor, messageId);
      if (message.senderId !== actor.userId) throw new AppError('forbidden', 'only the sender may edit a message');
      return changeMessage(
        actor,
        messageId,
        message.conversationId,
        'message.edited',
        null,
        async (r, current, now) => {
          if (current.deletedAt !== null || current.text === null)
            throw new AppError('conflict', 'the message was deleted');
          await r.addEdit(messageId, current.text, now);
          await r.setText(actor.orgId, messageId, text, now);
        },
      );
    },

    async delete(actor: Actor, messageId: string): Promise<Message> {
      const { message, conversation, member } = await requireMessage(actor, messageId);
      const groupAdmin = conversation.kind === 'group' && member.role === 'admin';
      if (message.senderId !== actor.userId && !groupAdmin) {
        throw new AppError('forbidden', 'only the sender or a group admin may delete a message');
      }
      const deleted = await changeMessage(
        actor,
        messageId,
        message.conversationId,
        'message.deleted',
        null,
        async (r, current, now) => {
          if (current.deletedAt !== null) throw new Rollback(null);
          await r.tombstone(actor.orgId, messageId, now);
        },
      );
      if (message.attachments) await deps.attachments?.deleted(actor.orgId, messageId);
      return deleted;
    },

    async react(actor: Actor, messageId: string, input: React): Promise<Message> {
      const { emoji, on } = ReactSchema.parse(input);
      const { message } = await requireMessage(actor, messageId);
      const data = { emoji, on, userId: actor.userId };
      return changeMessage(
        actor,
        messageId,
        message.conversationId,
        'message.reacted',
        data,
        async (r, current, now) => {
          if (current.deletedAt !== null) throw new AppError('conflict', 'the message was deleted');
          if (!(await r.react(messageId, actor.userId, emoji, on, now))) throw new Rollback(null);
        },
      );
    },

    /**
     * Move the caller's read position forward (never back, never past the newest event) and tell each
     * sender whose messages this covers how many have now read them.
     */
    async markRead(actor: Actor, conversationId: string, input: { seq: number }): Promise<ReadState> {
      const { seq } = MarkReadSchema.parse(input);
      const { conversation, member } = await requireMember(database.db, actor, conversationId);
      const convRepo = conversationsRepo(database.db);
      const from = Number(member.lastReadSeq);
      const to = Math.min(seq, Number(conversation.lastSeq));
      const moved = to > from && (await convRepo.advanceRead(actor.orgId, conversationId, actor.userId, to));
      const lastReadSeq = Math.max(from, to);
      const state: ReadState = {
        conversationId,
        lastReadSeq,
        unreadCount: await repo.unreadCount(actor.orgId, conversationId, actor.userId, lastReadSeq),
      };
      if (moved) {
        for (const s of await repo.latestBySenderBetween(actor.orgId, conversationId, actor.userId, from, to)) {
          const readCount = await convRepo.readersAtLeast(actor.orgId, conversationId, s.seq, s.senderId);
          notifier.receipt(s.senderId, {
            conversationId,
            readerId: actor.userId,
            lastReadSeq,
            messageSeq: s.seq,
            readCount,
          });
        }
        notifier.readState(actor.userId, state);
      }
      return state;
    },
  };
}
export type MessagesService = ReturnType<typeof messagesService>;
