import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/**
 * A private note in a support conversation: staff write it for each other (`note`), or the AI writes a
 * summary of the conversation for whoever takes it over (`summary`). Notes are never conversation events: a
 * customer's history, resume and socket never carry them.
 *
 * @example
 * ```json
 * { "id": "…", "conversationId": "…", "authorId": "…", "kind": "note",
 *   "text": "Customer is on the annual plan; refund needs a supervisor.", "createdAt": 1767225600000 }
 * ```
 */
export const SupportNoteSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  /** The staff member who wrote it; for a summary, the org's AI assistant user. */
  authorId: IdSchema,
  kind: z.enum(['note', 'summary']),
  text: z.string(),
  createdAt: TimestampSchema,
});
export type SupportNote = z.infer<typeof SupportNoteSchema>;

/**
 * `POST /api/v1/support/{conversationId}/notes` (staff).
 *
 * @example
 * ```ts
 * await client.api.support.addNote(conversationId, { text: 'Asked for the order number, waiting.' });
 * ```
 */
export const CreateSupportNoteSchema = z.object({ text: z.string().trim().min(1).max(5000) });
export type CreateSupportNote = z.input<typeof CreateSupportNoteSchema>;

export const SupportNoteListSchema = z.object({ items: z.array(SupportNoteSchema) });
