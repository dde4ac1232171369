import type { Role } from '@switchboard/protocol';

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
