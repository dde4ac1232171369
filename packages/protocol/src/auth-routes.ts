import {
  AcceptInviteRequestSchema,
  ChangePasswordRequestSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MeSchema,
  RefreshRequestSchema,
  TokensSchema,
  WidgetSessionRequestSchema,
  WidgetSessionResponseSchema,
} from './auth.js';
import { defineRoute } from './routes.js';

/**
 * Sessions: sign-in, token refresh, invites and the widget's customer session (public), and the signed-in
 * session itself (who am I, sign-out, password change). REST routes defined once for the server and the SDK
 * (see `defineRoute`).
 */
export const authRouteDefs = {
  login: defineRoute({
    method: 'POST',
    path: '/api/v1/auth/login',
    summary: 'Sign in with email and password',
    description:
      'Throttled: 5 failures a minute per account (then 429 with Retry-After), 50 a day per account, ' +
      '20 a minute per client IP. `org` (slug) is needed only when the email exists in several orgs.',
    tags: ['auth'],
    access: 'public',
    body: LoginRequestSchema,
    status: 200,
    response: LoginResponseSchema,
    errors: [401, 403, 429],
  }),
  refresh: defineRoute({
    method: 'POST',
    path: '/api/v1/auth/refresh',
    summary: 'Exchange a refresh token for new tokens',
    description:
      'Refresh tokens are single-use: the answer holds a new one. Presenting a used one revokes the session. ' +
      'Fails with `session_revoked` after 1 h without activity or past the session lifetime.',
    tags: ['auth'],
    access: 'public',
    body: RefreshRequestSchema,
    status: 200,
    response: TokensSchema,
    errors: [401],
  }),
  logout: defineRoute({
    method: 'POST',
    path: '/api/v1/auth/logout',
    summary: 'End the current session (its sockets are disconnected)',
    tags: ['auth'],
    access: 'authenticated',
    status: 204,
    response: null,
  }),
  me: defineRoute({
    method: 'GET',
    path: '/api/v1/auth/me',
    summary: 'Who am I: user, org and session',
    tags: ['auth'],
    access: 'authenticated',
    status: 200,
    response: MeSchema,
  }),
  changePassword: defineRoute({
    method: 'POST',
    path: '/api/v1/auth/password',
    summary: 'Change my password: every session ends, a new one is returned',
    tags: ['auth'],
    access: 'authenticated',
    body: ChangePasswordRequestSchema,
    status: 200,
    response: LoginResponseSchema,
  }),
  acceptInvite: defineRoute({
    method: 'POST',
    path: '/api/v1/auth/accept-invite',
    summary: 'Set the password of an invited account and sign in',
    tags: ['auth'],
    access: 'public',
    body: AcceptInviteRequestSchema,
    status: 200,
    response: LoginResponseSchema,
    errors: [401],
  }),
  widgetSession: defineRoute({
    method: 'POST',
    path: '/api/v1/widget/session',
    summary: 'Start or resume a customer session from the chat widget',
    description:
      'Anonymous: send the `visitorId` a previous call returned to resume. Verified identity: send ' +
      '`identity: { userId, signature }` with `signature = hex(HMAC-SHA256(identitySecret, userId))`, computed ' +
      'on your server; the session is then always the same customer. 30 new sessions a minute per client IP.',
    tags: ['widget'],
    access: 'public',
    body: WidgetSessionRequestSchema,
    status: 200,
    response: WidgetSessionResponseSchema,
    errors: [401, 404, 429],
  }),
};
