import { usersRouteDefs as defs } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { registerRoute } from '../../http/define-route.js';
import type { ModuleContext } from '../../server-module.js';

/** User management: admins manage, supervisors list and read, all staff see the directory. Always within the caller's org. */
export async function usersRoutes(app: FastifyInstance, { services }: ModuleContext) {
  const { users } = services;

  registerRoute(app, defs.userDirectory, async ({ actor, query }) => users.directory(actor, query));
  registerRoute(app, defs.listUsers, async ({ actor, query }) => users.list(actor, query));
  registerRoute(app, defs.getUser, async ({ actor, params }) => users.getForActor(actor, params.id));
  registerRoute(app, defs.createUser, async ({ actor, body }) => users.adminCreate(actor, body));
  registerRoute(app, defs.inviteUser, async ({ actor, body }) => users.invite(actor, body));
  registerRoute(app, defs.reinviteUser, async ({ actor, params }) => users.reinvite(actor, params.id));
  registerRoute(app, defs.updateUser, async ({ actor, params, body }) => users.update(actor, params.id, body));
  registerRoute(app, defs.deactivateUser, async ({ actor, params }) => users.deactivate(actor, params.id));
  registerRoute(app, defs.reactivateUser, async ({ actor, params }) => users.reactivate(actor, params.id));
}
