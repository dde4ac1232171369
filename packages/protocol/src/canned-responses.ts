import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/**
 * A canned response: a prepared answer an agent inserts by typing `/shortcut` in the console's composer.
 * `org` ones are shared by the whole team (supervisors and admins manage them); `personal` ones belong to
 * their author alone. The text may hold `{{customer.name}}`, `{{customer.email}}` and `{{agent.name}}`.
 *
 * @example
 * ```json
 * { "id": "…", "scope": "org", "shortcut": "refund", "title": "Refund timeline",
 *   "text": "Hi {{customer.name}}, refunds reach your card within 5 days. — {{agent.name}}",
 *   "ownerId": null, "createdAt": 1767225600000, "updatedAt": 1767225600000 }
 * ```
 */
export const CannedResponseSchema = z.object({
  id: IdSchema,
  scope: z.enum(['org', 'personal']),
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  /** The author of a personal response; null for the org's. */
  ownerId: IdSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type CannedResponse = z.infer<typeof CannedResponseSchema>;

/**
 * `POST /api/v1/canned-responses`. The shortcut is what follows `/` (lower case letters, digits, `-`, `_`);
 * unique per scope (the org's, or mine).
 *
 * @example
 * ```ts
 * await client.api.canned.create({ scope: 'personal', shortcut: 'hi', title: 'Greeting', text: 'Hi {{customer.name}}!' });
 * ```
 */
export const CreateCannedResponseSchema = z.object({
  scope: z.enum(['org', 'personal']).default('personal'),
  shortcut: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'a shortcut is 1-40 lower-case letters, digits, - or _'),
  title: z.string().trim().min(1).max(100),
  text: z.string().trim().min(1).max(5000),
});
export type CreateCannedResponse = z.input<typeof CreateCannedResponseSchema>;

/** `PATCH /api/v1/canned-responses/{id}`: change the shortcut, title or text (not the scope). */
export const UpdateCannedResponseSchema = CreateCannedResponseSchema.omit({ scope: true }).partial();
export type UpdateCannedResponse = z.input<typeof UpdateCannedResponseSchema>;

export const CannedResponseListSchema = z.object({ items: z.array(CannedResponseSchema) });

/** What a canned response's variables stand for in one conversation. */
export interface CannedVariables {
  customerName: string;
  customerEmail: string;
  agentName: string;
}

/**
 * Fill a canned response's variables; an unknown `{{…}}` is left as written, so a typo shows instead of
 * vanishing.
 *
 * @example
 * ```ts
 * fillCannedResponse('Hi {{customer.name}}', { customerName: 'Ada', customerEmail: '', agentName: 'Sam' }); // 'Hi Ada'
 * ```
 */
export function fillCannedResponse(text: string, vars: CannedVariables): string {
  const values: Record<string, string> = {
    'customer.name': vars.customerName,
    'customer.email': vars.customerEmail,
    'agent.name': vars.agentName,
  };
  return text.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}
