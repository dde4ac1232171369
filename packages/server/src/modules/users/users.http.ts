import {
  AdminCreateUserSchema,
  DirectoryQuerySchema,
  DirectorySchema,
  InviteResponseSchema,
  InviteUserSchema,
  ListUsersQuerySchema,
  ProblemSchema,
  UpdateUserSchema,
  UserIdParamsSchema,
  UserPageSchema,
  UserSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMINS, actorOf, STAFF, SUPERVISORS } from '../../http/access.js';
import { denied, security } from '../../http/route-docs.js';
import type { ModuleContext } from '../../server-module.js';

/** User management: admins manage, supervisors list and read, all staff see the directory. Always within the caller's org. */
export async function usersRoutes(app: FastifyInstance, { services }: ModuleContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { users } = services;

  r.get(
    '/api/v1/users/directory',
    {
      config: { access: STAFF },
      schema: {
        tags: ['users'],
        summary: "My org's active staff by name (id, name, role), for pickers",
        security,
        querystring: DirectoryQuerySchema,
        response: { 200: DirectorySchema, ...denied },
      },
    },
    async (req) => users.directory(actorOf(req), req.query),
  );

  r.get(
    '/api/v1/users',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['users'],
        summary: 'List the users of my org, newest first',
        security,
        querystring: ListUsersQuerySchema,
        response: { 200: UserPageSchema, ...denied },
      },
    },
    async (req) => users.list(actorOf(req), req.query),
  );

  r.get(
    '/api/v1/users/:id',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['users'],
        summary: 'One user of my org',
        security,
        params: UserIdParamsSchema,
        response: { 200: UserSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => users.getForActor(actorOf(req), req.params.id),
  );

  r.post(
    '/api/v1/users',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Create a user with a password',
        security,
        body: AdminCreateUserSchema,
        response: { 201: UserSchema, ...denied, 409: ProblemSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await users.adminCreate(actorOf(req), req.body)),
  );

  r.post(
    '/api/v1/users/invite',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Invite a user: the answer holds a one-time token (valid 7 days) to hand over',
        description:
          'The invitee sets a password with `POST /api/v1/auth/accept-invite`. The token is shown only here.',
        security,
        body: InviteUserSchema,
        response: { 201: InviteResponseSchema, ...denied, 409: ProblemSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await users.invite(actorOf(req), req.body)),
  );

  r.post(
    '/api/v1/users/:id/invite',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['users'],
        summary: 'A new invite link for someone who has not accepted yet (the previous link stops working)',
        security,
        params: UserIdParamsSchema,
        response: { 200: InviteResponseSchema, ...denied, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => users.reinvite(actorOf(req), req.params.id),
  );

  r.patch(
    '/api/v1/users/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Rename a user or change their role (a role change ends their sessions)',
        security,
        params: UserIdParamsSchema,
        body: UpdateUserSchema,
        response: { 200: UserSchema, ...denied, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => users.update(actorOf(req), req.params.id, req.body),
  );

  r.post(
    '/api/v1/users/:id/deactivate',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Deactivate a user: they cannot sign in, their sessions end and sockets close',
        security,
        params: UserIdParamsSchema,
        response: { 200: UserSchema, ...denied, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (req) => users.deactivate(actorOf(req), req.params.id),
  );

  r.post(
    '/api/v1/users/:id/reactivate',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Let a deactivated user sign in again',
        security,
        params: UserIdParamsSchema,
        response: { 200: UserSchema, ...denied, 404: ProblemSchema },
      },
    },
    async (req) => users.reactivate(actorOf(req), req.params.id),
  );
}
