import { type AnyRoute, ProblemSchema, type RouteInput, type RouteReply } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../actor.js';
import { actorOf } from './access.js';
import { denied, security } from './route-docs.js';

/** What a route's handler gets: the caller and the request's parsed parts. */
export interface RouteRequest<D extends AnyRoute> {
  actor: Actor;
  params: RouteInput<D, 'params'>;
  query: RouteInput<D, 'query'>;
  body: RouteInput<D, 'body'>;
}

/**
 * Register a route from its definition in `protocol` (see `defineRoute`): access, validation, the success
 * status and the OpenAPI docs all come from it, so the SDK's call built from the same definition cannot
 * drift. For routes behind a session (the handler gets the caller as `actor`).
 */
export function registerRoute<D extends AnyRoute>(
  app: FastifyInstance,
  def: D,
  handler: (req: RouteRequest<D>) => Promise<RouteReply<D>>,
): void {
  if (def.access === 'public') throw new Error(`registerRoute is for routes behind a session: ${def.path}`);
  const errors = Object.fromEntries((def.errors ?? []).map((code: number) => [code, ProblemSchema]));
  app.withTypeProvider<ZodTypeProvider>().route({
    method: def.method,
    url: def.path,
    config: { access: def.access },
    schema: {
      tags: [...def.tags],
      summary: def.summary,
      security,
      ...(def.params ? { params: def.params } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.body ? { body: def.body } : {}),
      response: { [def.status]: def.response ?? z.null(), ...errors, ...denied },
    },
    handler: async (req, reply) => {
      const result = await handler({
        actor: actorOf(req),
        params: req.params as RouteInput<D, 'params'>,
        query: req.query as RouteInput<D, 'query'>,
        body: req.body as RouteInput<D, 'body'>,
      });
      // The reply is checked against `def.response` by the type provider's serializer, not by this cast.
      return reply.code(def.status).send((def.status === 204 ? null : result) as never);
    },
  });
}
