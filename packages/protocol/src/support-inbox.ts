import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { SupportStatusSchema } from './contact-center.js';
import { ConversationSchema } from './conversations.js';
import { MessageSchema } from './messages.js';

/**
 * `GET /api/v1/support`: the agent console's inbox. `status` keeps one contact-center status; `mine` keeps the
 * conversations assigned to the caller.
 *
 * @example
 * ```ts
 * const q: SupportInboxQuery = { status: 'human_requested', limit: 50 };
 * ```
 */
export const SupportInboxQuerySchema = z.object({
  status: SupportStatusSchema.optional(),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  /** Only conversations with this label. */
  label: IdSchema.optional(),
  /** `me`, `unassigned`, or a staff member's id. */
  assignee: z.union([z.enum(['me', 'unassigned']), IdSchema]).optional(),
  /** `widget`: anonymous website visitors; `account`: signed-in customer accounts. */
  channel: z.enum(['widget', 'account']).optional(),
  /** Only this customer's conversations (a user id): the contact's past conversations beside the chat. */
  customer: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type SupportInboxQuery = z.input<typeof SupportInboxQuerySchema>;

/** The customer of a support conversation as staff see them (never the visitor id). */
export const SupportCustomerSchema = z.object({
  id: IdSchema,
  displayName: z.string(),
  /** `visitor`: came through the widget; `user`: a signed-in customer account. */
  kind: z.enum(['user', 'visitor']),
  /** Empty for anonymous visitors. */
  email: z.string(),
});
export type SupportCustomer = z.infer<typeof SupportCustomerSchema>;

/**
 * One row of the inbox: the conversation, its routing state, its customer and newest message.
 *
 * @example
 * ```json
 * { "conversation": { "id": "…", "kind": "support", "status": "pending_approval", "…": "…" },
 *   "status": "pending_approval", "assignedTo": null, "queuePosition": null,
 *   "customer": { "id": "…", "displayName": "Visitor", "kind": "visitor", "email": "" },
 *   "lastMessage": { "text": "How do I export my data?", "…": "…" } }
 * ```
 */
export const SupportInboxItemSchema = z.object({
  conversation: ConversationSchema,
  status: SupportStatusSchema,
  assignedTo: IdSchema.nullable(),
  queuePosition: z.number().int().positive().nullable(),
  customer: SupportCustomerSchema,
  lastMessage: MessageSchema.nullable(),
  /** Ids of the conversation's labels. */
  labels: z.array(IdSchema),
});
export type SupportInboxItem = z.infer<typeof SupportInboxItemSchema>;

/** The inbox page plus the caller's own load: conversations assigned to them and the org's capacity per agent. */
export const SupportInboxSchema = z.object({
  items: z.array(SupportInboxItemSchema),
  me: z.object({ active: z.number().int().nonnegative(), capacity: z.number().int().positive() }),
  generatedAt: TimestampSchema,
});
export type SupportInbox = z.infer<typeof SupportInboxSchema>;

/**
 * `GET/PUT /api/v1/support-routing`: whether I take chats from the human queue. Agents always do; supervisors
 * and admins only once they opt in (most of the time they watch rather than answer).
 *
 * @example
 * ```ts
 * await client.api.support.setRouting({ takesChats: true }); // a supervisor helping out at a peak
 * ```
 */
export const SupportRoutingSchema = z.object({ takesChats: z.boolean() });
export type SupportRouting = z.infer<typeof SupportRoutingSchema>;
