import type { ClientToServerEvents, ServerToClientEvents } from '@switchboard/protocol';
import type { Server, Socket } from 'socket.io';
import type { Actor } from '../actor.js';

/** What the server keeps on an authenticated socket (set by the handshake in auth.socket.ts). */
export interface SocketData {
  actor: Actor;
  /** When the socket's current access token expires (epoch ms); `auth.refresh` moves it. */
  tokenExpiresAt: number;
}

/** The app's Socket.IO server, typed with the protocol's event maps. */
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, Partial<SocketData>>;

/** One connection to it. */
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, Partial<SocketData>>;
