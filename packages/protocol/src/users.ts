import { z } from 'zod';
import { EmailSchema, IdSchema, PageQuerySchema, pageOf, RoleSchema, TimestampSchema } from './common.js';
import { PasswordSchema, UserSchema } from './orgs.js';

/**
 * User management (`/api/v1/users…`, admins; supervisors may list and read) and the current org
 * (`/api/v1/orgs/current`).
 */

/** The email domain of accounts no person signs in to (the AI assistant's user): never listed as people. */
export const SERVICE_ACCOUNT_DOMAIN = 'switchboard.invalid';

/**
 * `GET /api/v1/users/directory`: the org's active staff (agents, supervisors, admins) by name, for any staff
 * member's pickers (new conversation, transfer). Service accounts and customers are not listed.
 *
 * @example
 * ```ts
 * const { items } = await client.api.users.directory({ q: 'ali' }); // [{ id, displayName: 'Alice', role: 'agent' }]
 * ```
 */
export const DirectoryQuerySchema = z.object({
  /** Part of the display name, any case. */
  q: z.string().trim().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type DirectoryQuery = z.input<typeof DirectoryQuerySchema>;
export const DirectoryEntrySchema = z.object({ id: IdSchema, displayName: z.string(), role: RoleSchema });
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;
export const DirectorySchema = z.object({ items: z.array(DirectoryEntrySchema) });
export type Directory = z.infer<typeof DirectorySchema>;

/** `GET /api/v1/users`: newest first, filtered by role, kind and state. */
export const ListUsersQuerySchema = PageQuerySchema.extend({
  role: RoleSchema.optional(),
  kind: z.enum(['user', 'visitor']).optional(),
  active: z.enum(['true', 'false']).optional(),
});
export type ListUsersQuery = z.input<typeof ListUsersQuerySchema>;
export const UserPageSchema = pageOf(UserSchema);
export type UserPage = z.infer<typeof UserPageSchema>;

/** `POST /api/v1/users`: create a user with a password the admin hands over. */
export const AdminCreateUserSchema = z.object({
  email: EmailSchema,
  displayName: z.string().trim().min(1).max(80).optional(),
  password: PasswordSchema,
  role: RoleSchema,
});
export type AdminCreateUser = z.input<typeof AdminCreateUserSchema>;

/** `POST /api/v1/users/invite`: create a user without a password; they set it with the invite token. */
export const InviteUserSchema = z.object({
  email: EmailSchema,
  displayName: z.string().trim().min(1).max(80).optional(),
  role: RoleSchema,
});
export type InviteUser = z.input<typeof InviteUserSchema>;

/** The invite token is shown once, to the admin who invited; only its hash is stored. */
export const InviteResponseSchema = z.object({
  user: UserSchema,
  inviteToken: z.string(),
  inviteExpiresAt: TimestampSchema,
});
export type InviteResponse = z.infer<typeof InviteResponseSchema>;

/** `PATCH /api/v1/users/:id`. A role change ends the user's sessions. */
export const UpdateUserSchema = z
  .object({
    displayName: z.string().trim().min(1).max(80).optional(),
    role: RoleSchema.optional(),
  })
  .refine((v) => v.displayName !== undefined || v.role !== undefined, 'nothing to change');
export type UpdateUser = z.input<typeof UpdateUserSchema>;

export const UserIdParamsSchema = z.object({ id: z.uuid() });

/** `PATCH /api/v1/orgs/current` (admins). */
export const UpdateOrgSchema = z.object({ name: z.string().trim().min(1).max(120) });
export type UpdateOrg = z.input<typeof UpdateOrgSchema>;

/**
 * `GET /api/v1/orgs/current/widget` (admins): what the site embedding the chat widget needs. The key is
 * public; the identity secret signs user ids on the site's server and must never reach a browser.
 */
export const WidgetSettingsSchema = z.object({
  widgetKey: z.string(),
  identitySecret: z.string(),
});
export type WidgetSettings = z.infer<typeof WidgetSettingsSchema>;
