import { type SessionEnded, SocketAuthRefreshSchema } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import { normalizeError } from '../../normalize-error.js';
import type { Platform } from '../../platform/platform.js';
import { rooms } from '../../rooms.js';
import { onEvent } from '../../socket/ack.js';
import type { AppSocket as Socket, SocketData, AppServer as SocketServer } from '../../socket/types.js';
import { authenticate } from './authenticate.js';
import { revocations, sessionsService } from './sessions.service.js';

/** How often each node looks for expired tokens and sessions revoked elsewhere (other node, CLI). */
export const SOCKET_WATCH_INTERVAL_MS = 1000;
/** How often each node deletes long-ended sessions (an idempotent delete; any node may do it). */
const PURGE_EVERY_MS = 3_600_000;
/** Revocations are re-read with this overlap so clock skew between nodes cannot hide one. */
const REVOKE_LOOKBACK_MS = 10_000;

/** The rooms the server puts an authenticated socket in; a client never names a room itself. */
export function actorRooms(actor: Actor): string[] {
  return [
    rooms.user(actor.userId),
    rooms.org(actor.orgId),
    rooms.role(actor.orgId, actor.role),
    rooms.session(actor.sessionId),
  ];
}

/** The actor of an authenticated socket (every connected socket has one). */
export function socketActor(socket: Socket): Actor {
  const actor = socket.data.actor;
  if (!actor) throw new AppError('unauthenticated');
  return actor;
}

function endSocket(socket: Socket, code: SessionEnded['code']) {
  socket.emit('session.ended', { code } satisfies SessionEnded);
  socket.disconnect(true);
}

/**
 * Socket.IO authentication: the handshake must carry `auth: { token }` (an access token of a live
 * session), or the connection is refused with `connect_error` whose `message` is the error code
 * (`unauthenticated`, `token_invalid`, `token_expired`, `session_revoked`) and `data` `{ code, message }`.
 * Accepted sockets join their rooms before any module sees them. Revoked sessions close at once on this
 * node (and, through the adapter, on others); a watcher also closes sockets whose token expired and
 * sessions revoked by another process.
 */
export function installSocketAuth(app: FastifyInstance, io: SocketServer, platform: Platform): void {
  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    try {
      if (typeof token !== 'string' || token === '') throw new AppError('unauthenticated');
      const { actor, expiresAt } = await authenticate(platform, token);
      Object.assign(socket.data, { actor, tokenExpiresAt: expiresAt } satisfies SocketData);
      next();
    } catch (err) {
      const appErr = normalizeError(err);
      const refused = new Error(appErr.code) as Error & { data?: unknown };
      refused.data = { code: appErr.code, message: appErr.message };
      next(refused);
    }
  });

  io.on('connection', (socket) => socket.join(actorRooms(socketActor(socket))));
  onEvent(
    io,
    'auth.refresh',
    SocketAuthRefreshSchema,
    async (socket, { accessToken }) => {
      const actor = socketActor(socket);
      const fresh = await authenticate(platform, accessToken);
      // Same session only: the socket's rooms were chosen for it.
      if (fresh.actor.sessionId !== actor.sessionId || fresh.actor.userId !== actor.userId) {
        throw new AppError('forbidden', 'The token belongs to another session');
      }
      socket.data.tokenExpiresAt = fresh.expiresAt;
      return { expiresAt: fresh.expiresAt };
    },
    app.log,
  );

  const onRevoked = (ids: string[]) => {
    for (const id of ids) {
      io.to(rooms.session(id)).emit('session.ended', { code: 'session_revoked' } satisfies SessionEnded);
      io.in(rooms.session(id)).disconnectSockets(true);
    }
  };
  revocations(platform).on('revoked', onRevoked);

  const sessions = sessionsService(platform);
  let lastLook = platform.clock.now();
  let lastPurge = 0;
  let busy = false;
  const watch = async () => {
    if (busy) return;
    busy = true;
    try {
      const now = platform.clock.now();
      const bySession = new Map<string, Socket[]>();
      for (const socket of io.of('/').sockets.values()) {
        const { actor, tokenExpiresAt } = socket.data;
        if (!actor || tokenExpiresAt === undefined) continue; // not through the handshake yet
        if (tokenExpiresAt <= now) {
          endSocket(socket, 'token_expired');
          continue;
        }
        const list = bySession.get(actor.sessionId) ?? [];
        list.push(socket);
        bySession.set(actor.sessionId, list);
      }
      if (bySession.size > 0) {
        for (const { id } of await sessions.revokedSince(lastLook - REVOKE_LOOKBACK_MS)) {
          for (const socket of bySession.get(id) ?? []) endSocket(socket, 'session_revoked');
        }
      }
      lastLook = now;
      if (now - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = now;
        await sessions.purgeEnded();
      }
    } catch (err) {
      app.log.warn({ err }, 'socket session watch failed');
    } finally {
      busy = false;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(watch, SOCKET_WATCH_INTERVAL_MS);
    timer.unref();
  });
  app.addHook('preClose', async () => {
    clearInterval(timer);
    revocations(platform).off('revoked', onRevoked);
  });
}
