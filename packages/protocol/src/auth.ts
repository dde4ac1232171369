import { z } from 'zod';
import { EmailSchema, IdSchema, SlugSchema, TimestampSchema } from './common.js';
import { OrgSchema, PasswordSchema, UserSchema } from './orgs.js';

/**
 * Authentication: login, refresh, logout, me, invites, password change, widget visitor sessions.
 *
 * Access tokens are short-lived JWTs (HS256, ≤ 15 min) sent as `Authorization: Bearer <token>` on REST and
 * as `auth: { token }` in the Socket.IO handshake. Refresh tokens are opaque, single-use and rotate on every
 * refresh; presenting one that was already rotated revokes the whole session.
 */

/** `POST /api/v1/auth/login`. `org` (slug) may be omitted when the email exists in exactly one org. */
export const LoginRequestSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1).max(200),
  org: SlugSchema.optional(),
});
export type LoginRequest = z.input<typeof LoginRequestSchema>;

/** A pair of tokens as every sign-in, refresh and widget session returns them. */
export const TokensSchema = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  /** When the access token expires (epoch ms); refresh before this. */
  accessTokenExpiresAt: TimestampSchema,
  /** Single use: every refresh returns a new one and invalidates this one. */
  refreshToken: z.string(),
  /** The session's absolute end (epoch ms); it may end earlier after 1 h without activity. */
  sessionExpiresAt: TimestampSchema,
  sessionId: IdSchema,
});
export type Tokens = z.infer<typeof TokensSchema>;

/** What a successful login (or invite acceptance, or password change) answers. */
export const LoginResponseSchema = TokensSchema.extend({ user: UserSchema, org: OrgSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** `POST /api/v1/auth/refresh`. */
export const RefreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

/** `GET /api/v1/auth/me`. */
export const MeSchema = z.object({
  user: UserSchema,
  org: OrgSchema,
  session: z.object({ id: IdSchema, kind: z.enum(['user', 'visitor']), expiresAt: TimestampSchema }),
});
export type Me = z.infer<typeof MeSchema>;

/** `POST /api/v1/auth/accept-invite`: set the password of an invited user and sign in. */
export const AcceptInviteRequestSchema = z.object({
  token: z.string().min(1).max(512),
  password: PasswordSchema,
  displayName: z.string().trim().min(1).max(80).optional(),
});
export type AcceptInviteRequest = z.input<typeof AcceptInviteRequestSchema>;

/** `POST /api/v1/auth/password`: every session of the user ends; the answer is a fresh session. */
export const ChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: PasswordSchema,
});
export type ChangePasswordRequest = z.input<typeof ChangePasswordRequestSchema>;

/**
 * A visitor id as the widget keeps it (localStorage): an opaque, unguessable credential issued by the
 * server. Whoever holds it resumes that visitor's conversations, so it is never shown to staff.
 */
export const VisitorIdSchema = z
  .string()
  .min(22)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'base64url characters only');

/**
 * `POST /api/v1/widget/session`: start or resume a customer session from the chat widget.
 * - `widgetKey`: the org's public widget key (safe to embed in a page)
 * - `visitorId`: the id a previous call returned; an unknown one starts a new visitor
 * - `identity`: bind the session to the site's own user id, proven by
 *   `signature = hex(HMAC-SHA256(org identity secret, userId))` computed on the site's server
 */
export const WidgetSessionRequestSchema = z.object({
  widgetKey: z.string().min(8).max(128),
  visitorId: VisitorIdSchema.optional(),
  identity: z
    .object({
      userId: z.string().min(1).max(200),
      signature: z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, '64 hex digits (HMAC-SHA256)')
        .transform((s) => s.toLowerCase()),
    })
    .optional(),
  /** Shown to agents; not verified. */
  displayName: z.string().trim().min(1).max(80).optional(),
});
export type WidgetSessionRequest = z.input<typeof WidgetSessionRequestSchema>;

export const WidgetSessionResponseSchema = TokensSchema.extend({
  user: UserSchema,
  /** Keep this (anonymous visitors only) and send it next time to resume the same visitor. */
  visitorId: VisitorIdSchema.optional(),
  /** The site's user id the session is bound to, when identity was verified. */
  identityUserId: z.string().optional(),
});
export type WidgetSessionResponse = z.infer<typeof WidgetSessionResponseSchema>;

/**
 * Socket events of the auth layer.
 * - client → server `auth.refresh` `{ accessToken }`: hand the socket a fresher access token of the same
 *   session before the current one expires (get it from `POST /api/v1/auth/refresh`); acked with
 *   `{ expiresAt }`. A socket whose token expires is sent `session.ended` and disconnected.
 * - server → client `session.ended` `{ code }`: the session was revoked (`session_revoked`) or the socket's
 *   token expired (`token_expired`); the socket is disconnected right after.
 */
export const SocketAuthRefreshSchema = z.object({ accessToken: z.string().min(1).max(4096) });
export type SocketAuthRefresh = z.infer<typeof SocketAuthRefreshSchema>;
export const SocketAuthRefreshAckSchema = z.object({ expiresAt: TimestampSchema });
export const SessionEndedSchema = z.object({ code: z.enum(['session_revoked', 'token_expired']) });
export type SessionEnded = z.infer<typeof SessionEndedSchema>;
