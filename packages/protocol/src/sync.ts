import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { MessageSchema } from './messages.js';

/**
 * Every kind of conversation event. Each kept one gets the conversation's next gap-free `seq`.
 * - `conversation.created`: announced live with `seq: 0` and a snapshot, never stored — a new
 *   conversation's state is its snapshot (sync lists it under `added`), so its messages start at seq 1
 * - `conversation.renamed` (`data.name`), `conversation.status` (`data.status`)
 * - `member.joined` / `member.left` (`data.userId`, `data.role`; `actorId` differs from `data.userId` when
 *   an admin added or removed them)
 * - `message.created`, `message.edited`, `message.deleted`, `message.reacted` (`data.emoji`, `data.on`):
 *   `message` is the message as it is now (a later deletion shows as a tombstone)
 */
export const ConversationEventTypeSchema = z.enum([
  'conversation.created',
  'conversation.renamed',
  'conversation.status',
  'member.joined',
  'member.left',
  'message.created',
  'message.edited',
  'message.deleted',
  'message.reacted',
]);
export type ConversationEventType = z.infer<typeof ConversationEventTypeSchema>;

export const ConversationEventDataSchema = z.object({
  userId: IdSchema.optional(),
  role: z.string().optional(),
  name: z.string().optional(),
  status: z.string().optional(),
  emoji: z.string().optional(),
  on: z.boolean().optional(),
});

/**
 * One kept event of a conversation, as sync returns it and as the realtime events (`message.new`,
 * `message.updated`, `message.deleted`, `conversation.updated`) carry it. A client applies events in `seq`
 * order per conversation and ignores a `seq` it already holds.
 *
 * @example
 * ```json
 * { "conversationId": "…", "seq": 42, "type": "message.created", "actorId": "…", "createdAt": 1767225600000,
 *   "message": { "id": "…", "seq": 42, "text": "hi", "…": "…" } }
 * ```
 */
export const ConversationEventSchema = z.object({
  conversationId: IdSchema,
  seq: z.number().int().nonnegative(),
  type: ConversationEventTypeSchema,
  actorId: IdSchema,
  createdAt: TimestampSchema,
  message: MessageSchema.optional(),
  data: ConversationEventDataSchema.optional(),
});
export type ConversationEvent = z.infer<typeof ConversationEventSchema>;

/** Per conversation, the last `seq` the client holds. */
export const SinceSchema = z.record(IdSchema, z.number().int().nonnegative());
export type Since = z.infer<typeof SinceSchema>;

/**
 * Ask for every kept event after a position: the opaque `cursor` of the previous answer, and/or `since`
 * (per conversation, the last seq the client holds — what a client that also applies live events knows).
 * Where both name a conversation the higher position wins. Conversations named in neither start at 0.
 *
 * @example
 * ```ts
 * socket.emit('sync', { cursor: last.cursor }, (ack) => { … });
 * socket.emit('sync', { since: { [conversationId]: 41 } }, (ack) => { … });
 * ```
 */
export const SyncRequestSchema = z.object({
  cursor: z.string().max(100_000).optional(),
  since: SinceSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type SyncRequest = z.input<typeof SyncRequestSchema>;

/** `GET /api/v1/sync`: `since` as `conversationId:seq,conversationId:seq`. */
export const SyncQuerySchema = z.object({
  cursor: z.string().max(100_000).optional(),
  since: z.string().max(100_000).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/**
 * The answer to a sync. Apply `events` in order, keep `cursor`, and call again while `hasMore`.
 * `resetRequired` lists conversations too far behind for sync: reload their history over REST (the cursor
 * already points at their `lastSeq`). `removed` lists conversations of the cursor the caller no longer
 * belongs to; `added` those the caller belongs to that the request did not name (fetch them over REST).
 */
export const SyncResultSchema = z.object({
  events: z.array(ConversationEventSchema),
  cursor: z.string(),
  hasMore: z.boolean(),
  resetRequired: z.array(z.object({ conversationId: IdSchema, lastSeq: z.number().int().nonnegative() })),
  removed: z.array(IdSchema),
  added: z.array(IdSchema),
});
export type SyncResult = z.infer<typeof SyncResultSchema>;
