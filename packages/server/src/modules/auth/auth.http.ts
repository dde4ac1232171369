import {
  AcceptInviteRequestSchema,
  ChangePasswordRequestSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MeSchema,
  ProblemSchema,
  RefreshRequestSchema,
  TokensSchema,
  WidgetSessionRequestSchema,
  WidgetSessionResponseSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/access.js';
import { security } from '../../http/route-docs.js';
import type { ModuleContext } from '../../server-module.js';
import { authService } from './auth.service.js';

const problems = { 401: ProblemSchema, 429: ProblemSchema };

export async function authRoutes(app: FastifyInstance, { platform }: ModuleContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = authService(platform);

  r.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        description:
          'Throttled: 5 failures a minute per account (then 429 with Retry-After), 50 a day per account, ' +
          '20 a minute per client IP. `org` (slug) is needed only when the email exists in several orgs.',
        body: LoginRequestSchema,
        response: { 200: LoginResponseSchema, ...problems, 403: ProblemSchema },
      },
    },
    async (req) => auth.login(req.body, req.ip),
  );

  r.post(
    '/api/v1/auth/refresh',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for new tokens',
        description:
          'Refresh tokens are single-use: the answer holds a new one. Presenting a used one revokes the session. ' +
          'Fails with `session_revoked` after 1 h without activity or past the session lifetime.',
        body: RefreshRequestSchema,
        response: { 200: TokensSchema, 401: ProblemSchema },
      },
    },
    async (req) => auth.refresh(req.body.refreshToken),
  );

  r.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'End the current session (its sockets are disconnected)',
        security,
        response: { 204: z.null(), 401: ProblemSchema },
      },
    },
    async (req, reply) => {
      await auth.logout(actorOf(req));
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Who am I: user, org and session',
        security,
        response: { 200: MeSchema, 401: ProblemSchema },
      },
    },
    async (req) => auth.me(actorOf(req)),
  );

  r.post(
    '/api/v1/auth/password',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password: every session ends, a new one is returned',
        security,
        body: ChangePasswordRequestSchema,
        response: { 200: LoginResponseSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (req) => auth.changePassword(actorOf(req), req.body),
  );

  r.post(
    '/api/v1/auth/accept-invite',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Set the password of an invited account and sign in',
        body: AcceptInviteRequestSchema,
        response: { 200: LoginResponseSchema, 401: ProblemSchema },
      },
    },
    async (req) => auth.acceptInvite(req.body),
  );

  r.post(
    '/api/v1/widget/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['widget'],
        summary: 'Start or resume a customer session from the chat widget',
        description:
          'Anonymous: send the `visitorId` a previous call returned to resume. Verified identity: send ' +
          '`identity: { userId, signature }` with `signature = hex(HMAC-SHA256(identitySecret, userId))`, computed ' +
          'on your server; the session is then always the same customer. 30 new sessions a minute per client IP.',
        body: WidgetSessionRequestSchema,
        response: { 200: WidgetSessionResponseSchema, 401: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (req) => auth.widgetSession(req.body, req.ip),
  );
}
