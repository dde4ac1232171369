import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Config } from '../config.js';

/** Largest socket frame accepted; a bigger one closes the connection (Socket.IO's own rule). */
export const SOCKET_MAX_FRAME_BYTES = 1_000_000;

/**
 * Socket.IO on the HTTP server's `/socket.io` path. Browsers must come from an allowed origin (Cross-Site
 * WebSocket Hijacking protection); clients without an Origin header (SDK in Node, bots) are let through to
 * the token check.
 */
export function createSocketServer(server: HttpServer, config: Config): Server {
  const allowed = new Set(config.corsOrigins);
  return new Server(server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: SOCKET_MAX_FRAME_BYTES,
    cors: { origin: [...allowed], credentials: true },
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origin === undefined || allowed.has(origin));
    },
  });
}
