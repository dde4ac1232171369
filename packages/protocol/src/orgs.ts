import { z } from 'zod';
import { EmailSchema, IdSchema, RoleSchema, SlugSchema, TimestampSchema } from './common.js';

export const OrgSchema = z.object({
  id: IdSchema,
  slug: SlugSchema,
  name: z.string().min(1).max(120),
  createdAt: TimestampSchema,
});
export type Org = z.infer<typeof OrgSchema>;

export const CreateOrgSchema = z.object({
  slug: SlugSchema,
  name: z.string().trim().min(1).max(120),
});
export type CreateOrg = z.infer<typeof CreateOrgSchema>;

/** A password as accepted at creation or change: 10 to 200 characters. */
export const PasswordSchema = z.string().min(10, 'at least 10 characters').max(200);

export const UserSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  /** `visitor`: a widget customer (no password, no real email); `user`: someone who signs in. */
  kind: z.enum(['user', 'visitor']),
  active: z.boolean(),
  /** Invited and not yet accepted: no password is set. */
  invitePending: z.boolean(),
  createdAt: TimestampSchema,
});
export type User = z.infer<typeof UserSchema>;

export const CreateUserSchema = z.object({
  email: EmailSchema,
  displayName: z.string().trim().min(1).max(80).optional(),
  password: PasswordSchema,
  role: RoleSchema,
});
export type CreateUser = z.input<typeof CreateUserSchema>;
