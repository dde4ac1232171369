import type { Role } from '@switchboard/protocol';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Who is calling, as established by the auth layer from a verified access token (REST) or the socket
 * handshake. Services take an Actor, never a request.
 */
export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
  sessionId: string;
  /** `visitor`: an anonymous or verified widget customer; `user`: someone who logged in. */
  kind: 'user' | 'visitor';
}

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

export const STAFF: readonly Role[] = ['agent', 'supervisor', 'admin'];
export const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];
