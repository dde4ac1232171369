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
  /** Someone you may see changed status (never a user of another org). */
  'user:status': (presence: UserPresence) => void;
  /** Your own status changed by your choice (sent to all your devices). */
  'status:updated': (presence: UserPresence) => void;
  /** The answer to `online:list`, and sent once on connect. */
  'online:users': (data: OnlineUsers) => void;
  /** The answer to `heartbeat`. */
  'heartbeat:ack': (ack: HeartbeatAck) => void;
}
