import type { Server as HttpServer } from 'node:http';
import type { ClientToServerEvents, ServerToClientEvents } from '@switchboard/protocol';
import { Server } from 'socket.io';
import type { Config } from '../config.js';
import { coalesceWrites, type FramedSocket } from './coalesced-writes.js';
import { type ReadingSocket, releaseReads } from './released-reads.js';
import type { AppServer, SocketData } from './types.js';

/** What this file uses of an engine.io connection and its transport (`socket` is `ws`'s, for WebSocket). */
interface EngineSocket {
  request: unknown;
  transport: EngineTransport;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): void;
}
interface EngineTransport {
  name: string;
  socket?: FramedSocket & ReadingSocket;
}

function tuneWebSocket(transport: EngineTransport): void {
  if (transport.name !== 'websocket' || !transport.socket) return;
  coalesceWrites(transport.socket);
  releaseReads(transport.socket);
}

/** Largest socket frame accepted; a bigger one closes the connection (Socket.IO's own rule). */
export const SOCKET_MAX_FRAME_BYTES = 1_000_000;

/**
 * Socket.IO on the HTTP server's `/socket.io` path. Browsers must come from an allowed origin (Cross-Site
 * WebSocket Hijacking protection); clients without an Origin header (SDK in Node, bots) are let through to
 * the token check.
 */
export function createSocketServer(server: HttpServer, config: Config): AppServer {
  const allowed = new Set(config.corsOrigins);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, Partial<SocketData>>(
    server,
    {
      path: '/socket.io',
      serveClient: false,
      maxHttpBufferSize: SOCKET_MAX_FRAME_BYTES,
      cors: { origin: [...allowed], credentials: true },
      allowRequest: (req, callback) => {
        const origin = req.headers.origin;
        callback(null, origin === undefined || allowed.has(origin));
      },
    },
  );
  // The HTTP request a connection opened with stays referenced for the connection's life unless dropped
  // (Socket.IO's memory advice); nothing reads it after the handshake (auth comes from the CONNECT packet).
  io.engine.on('connection', (raw: EngineSocket) => {
    raw.request = null;
    // A connection's frames of one go of callbacks leave in one write (coalesced-writes.ts), and what it
    // read is let go at each message (released-reads.ts).
    tuneWebSocket(raw.transport);
    // Only a connection that began on HTTP long-polling can still move to WebSocket.
    if (raw.transport.name !== 'websocket') raw.on('upgrade', tuneWebSocket);
  });
  return io;
}
