import {
  HeartbeatSchema,
  LegacyHeartbeatAckSchema,
  LegacyOnlineListSchema,
  LegacyOnlineQuerySchema,
  LegacyPresenceStatsSchema,
  LegacyUserStatusSchema,
  PresenceUserParamsSchema,
  ProblemSchema,
  type UserPresence,
} from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, STAFF } from '../../http/access.js';
import { security } from '../../http/route-docs.js';
import type { PresenceService } from './presence.service.js';

const tags = ['presence'];
const alias = (v1: string) => `Alias of \`${v1}\` under the presence document's path and response shape.`;
/** Users carry no avatar in Switchboard; the document's field is kept so its clients find it. */
const legacy = (p: UserPresence) => ({ ...p, avatar: null });

/**
 * The presence document's routes (`/api/online-status…`): the same access and service calls as the v1
 * routes in presence.http.ts, wrapped in the document's `{ success, … }` shapes so its clients run unchanged.
 */
export async function presenceAliasRoutes(app: FastifyInstance, svc: PresenceService) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/online-status',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'Users of my org who are not offline (document shape)',
        description: alias('GET /api/v1/online-status'),
        querystring: LegacyOnlineQuerySchema,
        response: { 200: LegacyOnlineListSchema, 400: ProblemSchema, 401: ProblemSchema },
      },
    },
    async (req) => {
      const page = await svc.page(actorOf(req), req.query);
      return {
        success: true as const,
        count: page.items.length,
        users: page.items.map(legacy),
        nextCursor: page.nextCursor,
      };
    },
  );

  r.get(
    '/api/online-status/stats/summary',
    {
      config: { access: STAFF },
      schema: {
        tags,
        security,
        summary: 'How many users of my org are online, away or busy (document shape)',
        description: alias('GET /api/v1/online-status/stats/summary'),
        response: { 200: LegacyPresenceStatsSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (req) => ({ success: true as const, stats: await svc.stats(actorOf(req)) }),
  );

  r.get(
    '/api/online-status/:userId',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: "One user's presence (document shape)",
        description: alias('GET /api/v1/online-status/{userId}'),
        params: PresenceUserParamsSchema,
        response: { 200: LegacyUserStatusSchema, 401: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req) => {
      const p = await svc.get(actorOf(req), req.params.userId);
      return { success: true as const, online: p.status !== 'offline', ...legacy(p) };
    },
  );

  r.post(
    '/api/online-status/heartbeat',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        security,
        summary: 'Keep this session present without a socket (document shape)',
        description: alias('POST /api/v1/online-status/heartbeat'),
        body: HeartbeatSchema,
        response: { 200: LegacyHeartbeatAckSchema, 401: ProblemSchema },
      },
    },
    async (req) => ({ success: true as const, ...(await svc.heartbeat(actorOf(req), req.body ?? {})) }),
  );
}
