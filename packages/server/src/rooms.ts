import { type Role, STAFF_ROLES } from '@switchboard/protocol';

/**
 * The names of the Socket.IO rooms, built in one place. The server alone joins sockets to rooms (from the
 * database, in auth.socket.ts); a client never names a room it may hear.
 */
export const rooms = {
  /** Every socket of one user (all their devices). */
  user: (userId: string) => `user:${userId}`,
  /** Every socket of one org. */
  org: (orgId: string) => `org:${orgId}`,
  /** Every socket of one role in one org. */
  role: (orgId: string, role: Role) => `org:${orgId}:role:${role}`,
  /** The members of a conversation. */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  /** The sockets of one login session (ended together when it is revoked). */
  session: (sessionId: string) => `session:${sessionId}`,
  /** The org's agents, supervisors and admins. */
  staff: (orgId: string) => STAFF_ROLES.map((r) => `org:${orgId}:role:${r}`),
};
