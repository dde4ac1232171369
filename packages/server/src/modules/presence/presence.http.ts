import {
  HeartbeatAckSchema,
  HeartbeatSchema,
  OnlineStatusPageSchema,
  OnlineStatusQuerySchema,
  PresenceStatsSchema,
  PresenceUserParamsSchema,
  ProblemSchema,
  UserPresenceSchema,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, STAFF } from '../../http/access.js';
import { security } from '../../http/route-docs.js';
import type { PresenceService } from './presence.service.js';

const tags = ['presence'];

/** REST twins of the presence socket events; the same service answers both. */
export async function presenceRoutes(app: FastifyInstance, svc: PresenceService) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/online-status',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'Users of my org who are not offline, paged by user id',
        description: 'Staff see their whole org; a customer sees themself and the agents who are not offline.',
        querystring: OnlineStatusQuerySchema,
        response: { 200: OnlineStatusPageSchema, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (req) => svc.page(actorOf(req), req.query),
  );

  r.get(
    '/api/v1/online-status/stats/summary',
    {
      config: { access: STAFF },
      schema: {
        tags,
        security,
        summary: 'How many users of my org are online, away or busy',
        response: { 200: PresenceStatsSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (req) => svc.stats(actorOf(req)),
  );

  r.get(
    '/api/v1/online-status/:userId',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: "One user's presence",
        description: '404 for a user of another org, or one a customer may not see (anyone but agents).',
        params: PresenceUserParamsSchema,
        response: { 200: UserPresenceSchema, 401: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req) => svc.get(actorOf(req), req.params.userId),
  );

  r.post(
    '/api/v1/online-status/heartbeat',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'Keep this session present without a socket',
        description:
          'The session counts as one device until no heartbeat arrives for PRESENCE_HEARTBEAT_TIMEOUT_MS ' +
          '(beat every `nextHeartbeatMs`). `active: true` also resets the idle timer.',
        body: HeartbeatSchema,
        response: { 200: HeartbeatAckSchema, 401: ProblemSchema },
      },
    },
    async (req) => svc.heartbeat(actorOf(req), req.body ?? {}),
  );
}
