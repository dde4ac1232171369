import { type AnyRoute, ProblemSchema, type RouteInput, type RouteReply } from '@switchboard/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../actor.js';
import { actorOf } from './access.js';
import { denied, security } from './route-docs.js';

/** What a route's handler gets: the caller and the request's parsed parts. */
export interface RouteRequest<D extends AnyRoute> {
  /** The signed-in caller; on a public route, whoever is signed in, if anyone. */
  actor: D['access'] extends 'public' ? Actor | undefined : Actor;
  params: RouteInput<D, 'params'>;
  query: RouteInput<D, 'query'>;
  body: RouteInput<D, 'body'>;
  /**
   * The raw request and reply, for the client's address, a header, or a header to set; a handler answers
   * the route's `repeatStatus` with `reply.code(def.repeatStatus)`.
   */
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * Register a route from its definition in `protocol` (see `defineRoute`): access, validation, the success
 * status and the OpenAPI docs all come from it, so the SDK's call built from the same definition cannot
 * drift. The handler gets the caller as `actor` (on a public route, `undefined` when nobody is signed in).
 */
export function registerRoute<D extends AnyRoute>(
  app: FastifyInstance,
  def: D,
  handler: (req: RouteRequest<D>) => Promise<RouteReply<D>>,
): void {
  const open = def.access === 'public';
  const errors = Object.fromEntries((def.errors ?? []).map((code: number) => [code, ProblemSchema]));
  app.withTypeProvider<ZodTypeProvider>().route({
    method: def.method,
    url: def.path,
    config: { access: def.access },
    schema: {
      tags: [...def.tags],
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      ...(open ? {} : { security }),
      ...(def.params ? { params: def.params } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.body ? { body: def.body } : {}),
      response: {
        [def.status]: def.response ?? z.null(),
        ...(def.repeatStatus ? { [def.repeatStatus]: def.response } : {}),
        ...(open ? {} : denied),
        ...errors,
      },
    },
    handler: async (req, reply) => {
      reply.code(def.status);
      const result = await handler({
        actor: (open ? req.actor : actorOf(req)) as RouteRequest<D>['actor'],
        params: req.params as RouteInput<D, 'params'>,
        query: req.query as RouteInput<D, 'query'>,
        body: req.body as RouteInput<D, 'body'>,
        request: req,
        reply,
      });
      // The reply is checked against `def.response` by the type provider's serializer, not by this cast.
      // The handler may have answered the route's repeat status instead (`reply.code(def.repeatStatus)`).
      const status = reply.statusCode === def.repeatStatus ? def.repeatStatus : def.status;
      return reply.code(status).send((status === 204 ? null : result) as never);
    },
  });
}
