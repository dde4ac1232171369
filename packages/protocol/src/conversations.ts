import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { MessageSchema } from './messages.js';

/** `direct`: exactly two users, one per pair; `group`: named, with admins; `support`: a customer and the contact center. */
export const ConversationKindSchema = z.enum(['direct', 'group', 'support']);
export type ConversationKind = z.infer<typeof ConversationKindSchema>;

/** In a group, admins add, remove and rename; members may leave. */
export const MemberRoleSchema = z.enum(['admin', 'member']);
export type MemberRole = z.infer<typeof MemberRoleSchema>;

export const ConversationNameSchema = z.string().trim().min(1).max(120);

export const ConversationMemberSchema = z.object({
  userId: IdSchema,
  role: MemberRoleSchema,
  lastReadSeq: z.number().int().nonnegative(),
  joinedAt: TimestampSchema,
});
export type ConversationMember = z.infer<typeof ConversationMemberSchema>;

/**
 * A conversation with its members. `lastSeq` is the sequence number of its newest kept event.
 *
 * @example
 * ```json
 * { "id": "…", "orgId": "…", "kind": "group", "name": "Launch", "status": null, "createdBy": "…",
 *   "lastSeq": 17, "lastActivityAt": 1767225600000, "createdAt": 1767225000000,
 *   "members": [{ "userId": "…", "role": "admin", "lastReadSeq": 17, "joinedAt": 1767225000000 }] }
 * ```
 */
export const ConversationSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  kind: ConversationKindSchema,
  name: z.string().nullable(),
  status: z.string().nullable().describe('Contact-center status of a support conversation'),
  createdBy: IdSchema,
  lastSeq: z.number().int().nonnegative(),
  lastActivityAt: TimestampSchema,
  createdAt: TimestampSchema,
  members: z.array(ConversationMemberSchema),
});
export type Conversation = z.infer<typeof ConversationSchema>;

/** A row of the conversation list: the caller's read position, unread count and the newest message. */
export const ConversationSummarySchema = ConversationSchema.omit({ members: true }).extend({
  memberCount: z.number().int().nonnegative(),
  lastReadSeq: z.number().int().nonnegative(),
  unreadCount: z.number().int().nonnegative(),
  lastMessage: MessageSchema.nullable(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

/**
 * Start a conversation. A direct one with the same person returns the existing conversation.
 *
 * @example
 * ```ts
 * const direct: CreateConversation = { kind: 'direct', userId: bob.id };
 * const group: CreateConversation = { kind: 'group', name: 'Launch', memberIds: [bob.id, carol.id] };
 * ```
 */
export const CreateConversationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('direct'), userId: IdSchema }),
  z.object({
    kind: z.literal('group'),
    name: ConversationNameSchema,
    memberIds: z.array(IdSchema).max(500).default([]),
  }),
  z.object({ kind: z.literal('support'), name: ConversationNameSchema.optional() }),
]);
export type CreateConversation = z.input<typeof CreateConversationSchema>;

export const CreateConversationResultSchema = z.object({
  conversation: ConversationSchema,
  /** `false` when a direct conversation with this person already existed. */
  created: z.boolean(),
});

export const RenameConversationSchema = z.object({ name: ConversationNameSchema });
export const AddMembersSchema = z.object({
  userIds: z.array(IdSchema).min(1).max(500),
  role: MemberRoleSchema.default('member'),
});
export type AddMembers = z.input<typeof AddMembersSchema>;

/**
 * `GET /api/v1/conversations` query. `scope`: `messenger` lists direct and group conversations only (the staff
 * messenger: support conversations live in the agent console), `support` only support conversations (the
 * widget), `all` (default) both.
 *
 * @example
 * ```ts
 * await client.api.conversations.list({ limit: 30, scope: 'messenger' });
 * ```
 */
export const ConversationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
  scope: z.enum(['all', 'messenger', 'support']).default('all'),
});
export type ConversationListQuery = z.input<typeof ConversationListQuerySchema>;

/** Newest activity first; pass `nextCursor` back as `cursor` for the next page. */
export const ConversationListSchema = z.object({
  items: z.array(ConversationSummarySchema),
  nextCursor: z.string().optional(),
});
export type ConversationList = z.infer<typeof ConversationListSchema>;

export const ConversationIdParamsSchema = z.object({ conversationId: IdSchema });
export const MemberParamsSchema = z.object({ conversationId: IdSchema, userId: IdSchema });
