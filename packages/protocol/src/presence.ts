import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import type { Ack } from './errors.js';

/**
 * A user's presence. `online`: at least one connected, active device; `away`: chosen, or no activity on
 * any device for the idle time (5 min by default); `busy`: chosen; `offline`: no live device.
 *
 * @example
 * ```ts
 * PresenceStatusSchema.parse('busy');
 * ```
 */
export const PresenceStatusSchema = z.enum(['online', 'away', 'busy', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

/**
 * What a user may choose. `away` and `busy` hold until changed; `online` clears the choice, so the
 * automatic rules (idle → away, no device → offline) apply again.
 */
export const ChosenStatusSchema = z.enum(['online', 'away', 'busy']);
export type ChosenStatus = z.infer<typeof ChosenStatusSchema>;

/**
 * One user's presence as others see it: the payload of `user:status`, the items of `online:users` and of
 * `GET /api/v1/online-status`.
 *
 * @example
 * ```json
 * { "userId": "4b1e…", "username": "Ada", "status": "away", "lastSeen": 1699704567890 }
 * ```
 */
export const UserPresenceSchema = z.object({
  userId: IdSchema,
  username: z.string(),
  status: PresenceStatusSchema,
  /** Last sign of life (ms); `null` for someone never seen. Updated in storage at most every 30 s. */
  lastSeen: TimestampSchema.nullable(),
});
export type UserPresence = z.infer<typeof UserPresenceSchema>;

/**
 * `user:status` payload: a user's presence and when the server announced it (ms), as the presence document's
 * clients read it (`{ userId, username, status, timestamp }`).
 *
 * @example
 * ```json
 * { "userId": "4b1e…", "username": "Ada", "status": "away", "lastSeen": 1699704567890, "timestamp": 1699704567990 }
 * ```
 */
export const UserStatusEventSchema = UserPresenceSchema.extend({ timestamp: TimestampSchema });
export type UserStatusEvent = z.infer<typeof UserStatusEventSchema>;

/**
 * `connected`: sent once after the handshake, so a client knows who the server took it for.
 *
 * @example
 * ```ts
 * socket.on('connected', ({ userId, serverTime }) => console.log('Connected:', userId, serverTime));
 * ```
 */
export const ConnectedEventSchema = z.object({
  userId: IdSchema,
  orgId: IdSchema,
  sessionId: z.string(),
  serverTime: TimestampSchema,
});
export type ConnectedEvent = z.infer<typeof ConnectedEventSchema>;

/**
 * `status:update` payload: choose a status.
 *
 * @example
 * ```ts
 * socket.emit('status:update', { status: 'busy' });
 * ```
 */
export const UpdateStatusSchema = z.object({ status: ChosenStatusSchema });
export type UpdateStatus = z.infer<typeof UpdateStatusSchema>;

/**
 * `status:query` payload: ask for one user's presence (answered with `user:status` and the ack).
 *
 * @example
 * ```ts
 * socket.emit('status:query', { targetUserId });
 * ```
 */
export const StatusQuerySchema = z.object({ targetUserId: IdSchema });
export type StatusQuery = z.infer<typeof StatusQuerySchema>;

/**
 * `heartbeat` payload (optional) and `POST /api/v1/online-status/heartbeat` body. A heartbeat proves the
 * device is alive; only `active: true` (the person did something) also resets the idle timer.
 *
 * @example
 * ```ts
 * socket.emit('heartbeat'); // liveness only
 * socket.emit('heartbeat', { active: true });
 * ```
 */
export const HeartbeatSchema = z.object({ active: z.boolean().optional() }).nullish();
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

/**
 * `heartbeat:ack` payload and the heartbeat route's answer: your status now, the server's clock and how
 * often to beat (half the server's heartbeat timeout).
 */
export const HeartbeatAckSchema = z.object({
  status: PresenceStatusSchema,
  serverTime: TimestampSchema,
  nextHeartbeatMs: z.number().int().positive(),
});
export type HeartbeatAck = z.infer<typeof HeartbeatAckSchema>;

/**
 * `online:users` payload: the users you may see who are not offline. Staff see their org; a customer sees
 * only available agents.
 *
 * @example
 * ```ts
 * socket.on('online:users', (data) => setOnlineUsers(data.users));
 * ```
 */
export const OnlineUsersSchema = z.object({ users: z.array(UserPresenceSchema) });
export type OnlineUsers = z.infer<typeof OnlineUsersSchema>;

/** `GET /api/v1/online-status` query: cursor paging, optionally one status only. */
export const OnlineStatusQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
  status: z.enum(['online', 'away', 'busy']).optional(),
});
export type OnlineStatusQuery = z.infer<typeof OnlineStatusQuerySchema>;

/** `GET /api/v1/online-status` answer: a page of users who are not offline, ordered by user id. */
export const OnlineStatusPageSchema = z.object({
  items: z.array(UserPresenceSchema),
  nextCursor: z.string().optional(),
});
export type OnlineStatusPage = z.infer<typeof OnlineStatusPageSchema>;

/**
 * `GET /api/v1/online-status/stats/summary`: how many users of the org are not offline, by status.
 *
 * @example
 * ```json
 * { "total": 15, "byStatus": { "online": 10, "away": 3, "busy": 2 } }
 * ```
 */
export const PresenceStatsSchema = z.object({
  total: z.number().int().nonnegative(),
  byStatus: z.object({
    online: z.number().int().nonnegative(),
    away: z.number().int().nonnegative(),
    busy: z.number().int().nonnegative(),
  }),
});
export type PresenceStats = z.infer<typeof PresenceStatsSchema>;

/** Params of `GET /api/v1/online-status/:userId`. */
export const PresenceUserParamsSchema = z.object({ userId: IdSchema });

/**
 * Presence client → server events. Each may carry an ack callback (`{ ok, data }`); the source protocol's
 * clients send them without one and listen for the server event named in the comment instead.
 */
export const presenceClientEvents = {
  /** Choose a status. Ack: your presence; also `status:updated` to all your devices. */
  'status:update': UpdateStatusSchema,
  /** Ask for the users you may see. Ack and `online:users`: `{ users }`. */
  'online:list': z.object({}).loose().nullish(),
  /** Ask for one user's presence. Ack and `user:status`: that user. */
  'status:query': StatusQuerySchema,
  /** Keep this device alive. Ack and `heartbeat:ack`: the heartbeat answer. */
  heartbeat: HeartbeatSchema,
} as const;

/** What each presence client → server event's ack carries on success. */
export interface PresenceAckData {
  'status:update': UserPresence;
  'online:list': OnlineUsers;
  'status:query': UserPresence;
  heartbeat: HeartbeatAck;
}

/** Client → server presence events, typed for socket.io-client's `emit`. */
export type PresenceClientToServer = {
  [K in keyof typeof presenceClientEvents]: (
    payload?: z.input<(typeof presenceClientEvents)[K]>,
    ack?: (res: Ack<PresenceAckData[K]>) => void,
  ) => void;
};

/**
 * Server → client presence events.
 *
 * @example
 * ```ts
 * socket.on('user:status', ({ userId, status }) => markUser(userId, status));
 * ```
 */
export interface PresenceServerToClient {
  /** Someone you may see changed status (never a user of another org), or the answer to `status:query`. */
  'user:status': (presence: UserStatusEvent) => void;
  /** Sent once after the handshake. */
  connected: (data: ConnectedEvent) => void;
  /** Your own status changed by your choice (sent to all your devices). */
  'status:updated': (presence: UserPresence) => void;
  /** The answer to `online:list`, and sent once on connect. */
  'online:users': (data: OnlineUsers) => void;
  /** The answer to `heartbeat`. */
  'heartbeat:ack': (ack: HeartbeatAck) => void;
}

/** A user as the presence document's `/api/online-status` routes show them: no avatars here, so `null`. */
export const LegacyUserPresenceSchema = UserPresenceSchema.extend({ avatar: z.string().nullable() });

/**
 * `GET /api/online-status`: the document's shape of the online list (a page of at most `limit`, 100 by
 * default; `nextCursor` when more follow).
 *
 * @example
 * ```json
 * { "success": true, "count": 1,
 *   "users": [{ "userId": "4b1e…", "username": "Ada", "status": "online", "avatar": null, "lastSeen": 1699704567890 }] }
 * ```
 */
export const LegacyOnlineListSchema = z.object({
  success: z.literal(true),
  count: z.number().int().nonnegative(),
  users: z.array(LegacyUserPresenceSchema),
  nextCursor: z.string().optional(),
});
export type LegacyOnlineList = z.infer<typeof LegacyOnlineListSchema>;

/**
 * `GET /api/online-status/:userId`: one user in the document's shape; `online` is true unless offline.
 *
 * @example
 * ```json
 * { "success": true, "online": true, "userId": "4b1e…", "username": "Ada", "status": "online", "avatar": null, "lastSeen": 1699704567890 }
 * ```
 */
export const LegacyUserStatusSchema = LegacyUserPresenceSchema.extend({
  success: z.literal(true),
  online: z.boolean(),
});
export type LegacyUserStatus = z.infer<typeof LegacyUserStatusSchema>;

/**
 * `GET /api/online-status/stats/summary`: the stats wrapped as the document shows them.
 *
 * @example
 * ```json
 * { "success": true, "stats": { "total": 15, "byStatus": { "online": 10, "away": 3, "busy": 2 } } }
 * ```
 */
export const LegacyPresenceStatsSchema = z.object({ success: z.literal(true), stats: PresenceStatsSchema });
export type LegacyPresenceStats = z.infer<typeof LegacyPresenceStatsSchema>;

/**
 * `POST /api/online-status/heartbeat`: the heartbeat answer with `success`.
 *
 * @example
 * ```json
 * { "success": true, "status": "online", "serverTime": 1699704567890, "nextHeartbeatMs": 30000 }
 * ```
 */
export const LegacyHeartbeatAckSchema = HeartbeatAckSchema.extend({ success: z.literal(true) });
export type LegacyHeartbeatAck = z.infer<typeof LegacyHeartbeatAckSchema>;

/** `GET /api/online-status` query: like the v1 list's, 100 per page by default. */
export const LegacyOnlineQuerySchema = OnlineStatusQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(100).default(100),
});
