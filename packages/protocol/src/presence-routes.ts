import { STAFF_ROLES } from './common.js';
import {
  HeartbeatAckSchema,
  HeartbeatSchema,
  LegacyHeartbeatAckSchema,
  LegacyOnlineListSchema,
  LegacyOnlineQuerySchema,
  LegacyPresenceStatsSchema,
  LegacyUserStatusSchema,
  OnlineStatusPageSchema,
  OnlineStatusQuerySchema,
  PresenceStatsSchema,
  PresenceUserParamsSchema,
  UserPresenceSchema,
} from './presence.js';
import { defineRoute } from './routes.js';

const tags = ['presence'] as const;
const alias = (v1: string) => `Alias of \`${v1}\` under the presence document's path and response shape.`;

const heartbeatDescription =
  'The session counts as one device until no heartbeat arrives for PRESENCE_HEARTBEAT_TIMEOUT_MS ' +
  '(beat every `nextHeartbeatMs`). `active: true` also resets the idle timer.';

/**
 * Presence over REST, the twins of the presence socket events, defined once for the server and the SDK (see
 * `defineRoute`): the v1 routes, and the presence document's aliases (`/api/online-status…`) with the same
 * access and the document's `{ success, … }` response shapes.
 */
export const presenceRouteDefs = {
  onlineStatus: defineRoute({
    method: 'GET',
    path: '/api/v1/online-status',
    summary: 'Users of my org who are not offline, paged by user id',
    description: 'Staff see their whole org; a customer sees themself and the agents who are not offline.',
    tags,
    access: 'authenticated',
    query: OnlineStatusQuerySchema,
    status: 200,
    response: OnlineStatusPageSchema,
    errors: [400],
  }),
  onlineStats: defineRoute({
    method: 'GET',
    path: '/api/v1/online-status/stats/summary',
    summary: 'How many users of my org are online, away or busy',
    tags,
    access: STAFF_ROLES,
    status: 200,
    response: PresenceStatsSchema,
  }),
  userPresence: defineRoute({
    method: 'GET',
    path: '/api/v1/online-status/:userId',
    summary: "One user's presence",
    description: '404 for a user of another org, or one a customer may not see (anyone but agents).',
    tags,
    access: 'authenticated',
    params: PresenceUserParamsSchema,
    status: 200,
    response: UserPresenceSchema,
    errors: [404],
  }),
  presenceHeartbeat: defineRoute({
    method: 'POST',
    path: '/api/v1/online-status/heartbeat',
    summary: 'Keep this session present without a socket',
    description: heartbeatDescription,
    tags,
    access: 'authenticated',
    body: HeartbeatSchema,
    status: 200,
    response: HeartbeatAckSchema,
  }),
  legacyOnlineStatus: defineRoute({
    method: 'GET',
    path: '/api/online-status',
    summary: 'Users of my org who are not offline (document shape)',
    description: alias('GET /api/v1/online-status'),
    tags,
    access: 'authenticated',
    query: LegacyOnlineQuerySchema,
    status: 200,
    response: LegacyOnlineListSchema,
    errors: [400],
  }),
  legacyOnlineStats: defineRoute({
    method: 'GET',
    path: '/api/online-status/stats/summary',
    summary: 'How many users of my org are online, away or busy (document shape)',
    description: alias('GET /api/v1/online-status/stats/summary'),
    tags,
    access: STAFF_ROLES,
    status: 200,
    response: LegacyPresenceStatsSchema,
  }),
  legacyUserPresence: defineRoute({
    method: 'GET',
    path: '/api/online-status/:userId',
    summary: "One user's presence (document shape)",
    description: alias('GET /api/v1/online-status/{userId}'),
    tags,
    access: 'authenticated',
    params: PresenceUserParamsSchema,
    status: 200,
    response: LegacyUserStatusSchema,
    errors: [404],
  }),
  legacyPresenceHeartbeat: defineRoute({
    method: 'POST',
    path: '/api/online-status/heartbeat',
    summary: 'Keep this session present without a socket (document shape)',
    description: alias('POST /api/v1/online-status/heartbeat'),
    tags,
    access: 'authenticated',
    body: HeartbeatSchema,
    status: 200,
    response: LegacyHeartbeatAckSchema,
  }),
};
