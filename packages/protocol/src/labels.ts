import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** The colours a label may have (the web app's palette). */
export const LabelColorSchema = z.enum(['gray', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'violet', 'pink']);

/**
 * A label of the org, put on support conversations to sort and filter the console (`billing`, `bug`, `vip`).
 *
 * @example
 * ```json
 * { "id": "…", "name": "billing", "color": "orange", "createdAt": 1767225600000 }
 * ```
 */
export const LabelSchema = z.object({
  id: IdSchema,
  name: z.string(),
  color: LabelColorSchema,
  createdAt: TimestampSchema,
});
export type Label = z.infer<typeof LabelSchema>;

/**
 * `POST /api/v1/labels` (supervisors and admins): a new label; names are unique in the org, ignoring case.
 *
 * @example
 * ```ts
 * await client.api.labels.create({ name: 'billing', color: 'orange' });
 * ```
 */
export const CreateLabelSchema = z.object({
  name: z.string().trim().min(1).max(40),
  color: LabelColorSchema.default('blue'),
});
export type CreateLabel = z.input<typeof CreateLabelSchema>;

export const LabelListSchema = z.object({ items: z.array(LabelSchema) });
export const LabelIdParamsSchema = z.object({ id: IdSchema });
export const ConversationLabelParamsSchema = z.object({ conversationId: IdSchema, labelId: IdSchema });

/** `support.labels` (to the org's staff): the labels of a support conversation now. */
export const ConversationLabelsEventSchema = z.object({ conversationId: IdSchema, labelIds: z.array(IdSchema) });
export type ConversationLabelsEvent = z.infer<typeof ConversationLabelsEventSchema>;
