import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { AttachmentSchema, MESSAGE_ATTACHMENTS_MAX } from './files.js';

/** Longest message text, in characters (UTF-16 code units, as JavaScript counts them). */
export const MESSAGE_TEXT_MAX = 10_000;

/**
 * Message text as the user wrote it: stored verbatim and rendered as text, never as HTML. It must contain
 * something other than whitespace.
 */
export const MessageTextSchema = z
  .string()
  .max(MESSAGE_TEXT_MAX, `at most ${MESSAGE_TEXT_MAX} characters`)
  .refine((s) => s.trim().length > 0, 'must not be empty');

/** A reaction: one short emoji or shortcode such as `👍` or `:tada:`. */
export const EmojiSchema = z
  .string()
  .min(1)
  .max(32)
  .refine((s) => !/\s/.test(s), 'no whitespace');

/** The reactions on a message, one entry per emoji. */
export const ReactionSchema = z.object({
  emoji: z.string(),
  count: z.number().int().nonnegative(),
  userIds: z.array(IdSchema),
});
export type Reaction = z.infer<typeof ReactionSchema>;

/**
 * A message as it is now. A deleted message stays as a tombstone: `deletedAt` is set and `text` is null.
 * `seq` is the conversation sequence number of its creation.
 *
 * @example
 * ```json
 * { "id": "…", "conversationId": "…", "seq": 42, "senderId": "…", "clientMsgId": "…", "text": "hi",
 *   "replyToId": null, "createdAt": 1767225600000, "editedAt": null, "deletedAt": null, "reactions": [] }
 * ```
 */
export const MessageSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  seq: z.number().int().positive(),
  senderId: IdSchema,
  clientMsgId: IdSchema,
  text: z.string().nullable(),
  replyToId: IdSchema.nullable(),
  createdAt: TimestampSchema,
  editedAt: TimestampSchema.nullable(),
  deletedAt: TimestampSchema.nullable(),
  reactions: z.array(ReactionSchema),
  /** Files sent with the message (absent when none; gone once the message is deleted). */
  attachments: z.array(AttachmentSchema).optional(),
});
export type Message = z.infer<typeof MessageSchema>;

/**
 * Send a message. `clientMsgId` is a UUID the client generates once per message and repeats on every retry:
 * the server keeps one message per (conversation, sender, clientMsgId).
 *
 * @example
 * ```ts
 * const body: SendMessage = { clientMsgId: crypto.randomUUID(), text: 'Hello' };
 * ```
 */
export const SendMessageSchema = z.object({
  clientMsgId: IdSchema,
  text: MessageTextSchema,
  replyToId: IdSchema.optional(),
  /** Ids of files the sender uploaded to this conversation (`POST /api/v1/files`) and not sent yet. */
  attachments: z.array(IdSchema).max(MESSAGE_ATTACHMENTS_MAX).optional(),
});
export type SendMessage = z.infer<typeof SendMessageSchema>;

/** The socket form of a send: the conversation travels in the payload. */
export const SocketSendMessageSchema = SendMessageSchema.extend({ conversationId: IdSchema });
export type SocketSendMessage = z.infer<typeof SocketSendMessageSchema>;

/**
 * The answer to a send. `duplicate: true` means this clientMsgId was already stored and `message` is the
 * original (its text wins over the retry's).
 */
export const SendResultSchema = z.object({ message: MessageSchema, duplicate: z.boolean() });
export type SendResult = z.infer<typeof SendResultSchema>;

/** Edit a message's text (sender only). The previous text goes to the edit history. */
export const EditMessageSchema = z.object({ text: MessageTextSchema });
export type EditMessage = z.infer<typeof EditMessageSchema>;
export const SocketEditMessageSchema = EditMessageSchema.extend({ messageId: IdSchema });

/** Delete a message (sender or group admin); a tombstone remains. */
export const SocketDeleteMessageSchema = z.object({ messageId: IdSchema });

/** Add (`on: true`) or remove a reaction. */
export const ReactSchema = z.object({ emoji: EmojiSchema, on: z.boolean().default(true) });
export type React = z.input<typeof ReactSchema>;
export const SocketReactSchema = ReactSchema.extend({ messageId: IdSchema });

/** One earlier version of an edited message. */
export const MessageEditSchema = z.object({
  text: z.string(),
  editedAt: TimestampSchema.describe('When this version was replaced'),
});
export const MessageEditsSchema = z.object({ items: z.array(MessageEditSchema) });

/**
 * History paging by `seq`: `before` (older than, newest first — the default with neither) or `after`
 * (newer than, oldest first). `limit` ≤ 100.
 *
 * @example
 * ```
 * GET /api/v1/conversations/{id}/messages?before=120&limit=50
 * ```
 */
export const HistoryQuerySchema = z
  .object({
    before: z.coerce.number().int().positive().optional(),
    after: z.coerce.number().int().nonnegative().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine((q) => q.before === undefined || q.after === undefined, 'give before or after, not both');
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

export const HistoryPageSchema = z.object({
  items: z.array(MessageSchema),
  /** More messages exist in the paging direction. */
  hasMore: z.boolean(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/** Mark everything up to `seq` as read. The read position only moves forward. */
export const MarkReadSchema = z.object({ seq: z.number().int().nonnegative() });
export const SocketMarkReadSchema = MarkReadSchema.extend({ conversationId: IdSchema });
export const ReadStateSchema = z.object({
  conversationId: IdSchema,
  lastReadSeq: z.number().int().nonnegative(),
  unreadCount: z.number().int().nonnegative(),
});
export type ReadState = z.infer<typeof ReadStateSchema>;

/**
 * Pushed to a sender when someone reads their messages: `messageSeq` is the sender's latest message covered
 * by this read and `readCount` how many other members have read at least that far (1 in a direct chat).
 */
export const ReadReceiptSchema = z.object({
  conversationId: IdSchema,
  readerId: IdSchema,
  lastReadSeq: z.number().int().nonnegative(),
  messageSeq: z.number().int().positive(),
  readCount: z.number().int().nonnegative(),
});
export type ReadReceipt = z.infer<typeof ReadReceiptSchema>;

/** Start (`typing: true`, refresh within 5 s) or stop typing. Never stored. */
export const TypingSchema = z.object({ conversationId: IdSchema, typing: z.boolean() });
export type Typing = z.infer<typeof TypingSchema>;

/** Relayed to the other members; `typing: false` also arrives when 5 s pass without a refresh. */
export const TypingEventSchema = TypingSchema.extend({ userId: IdSchema });
export type TypingEvent = z.infer<typeof TypingEventSchema>;

/** How long a `typing: true` lasts without a refresh. */
export const TYPING_TTL_MS = 5_000;
