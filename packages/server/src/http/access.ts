import type { Role } from '@switchboard/protocol';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../actor.js';
import { AppError } from '../errors.js';

export type { Actor } from '../actor.js';

/**
 * Every route declares who may call it in `config.access`; the auth hook enforces it and the role-matrix
 * test fails for a route that declares nothing.
 * - `public`: anyone, no token needed
 * - `authenticated`: any valid session of any role
 * - a list of roles: only those roles (admin ⊃ supervisor ⊃ agent is spelled out, not implied)
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The authenticated caller of a route; throws `unauthenticated` on a public route without a token. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated');
  return request.actor;
}

// The protocol's role groups under the names the routes' `access` configs read best with.
export { ADMIN_ROLES as ADMINS, STAFF_ROLES as STAFF, SUPERVISOR_ROLES as SUPERVISORS } from '@switchboard/protocol';
