import type { Socket as UntypedSocket } from 'socket.io';
import { eventHandler, takeAck } from './ack.js';
import { type SocketEventsContext, socketEventsContext } from './events-context.js';
import type { AppSocket } from './types.js';

type Refusal = 'rate_limited' | 'unknown_event';

function refuse(ctx: SocketEventsContext, args: unknown[], code: Refusal, message: string, details?: object) {
  ctx.errors?.inc({ code });
  takeAck(args)?.({ ok: false, error: { code, message, ...(details ? { details } : {}) } });
}

/** Run one event that passed the budget check (or refuse it): `retryAfterMs` is the budget's answer. */
function dispatch(socket: AppSocket, io: object, ctx: SocketEventsContext, packet: unknown[], retryAfterMs: number) {
  const [event, ...args] = packet as [string, ...unknown[]];
  if (retryAfterMs > 0) return refuse(ctx, args, 'rate_limited', 'Too many events', { retryAfterMs });
  const handler = eventHandler(io, event);
  if (!handler) return refuse(ctx, args, 'unknown_event', `No such event: ${String(event).slice(0, 64)}`);
  // A shared budget's round trip may have outlasted the connection (Socket.IO's own dispatch checks too).
  if (socket.connected) handler(socket, args);
}

/**
 * Every client → server event passes here (Socket.IO's per-socket middleware), and here it is dispatched:
 * - it is charged to the sender's event budget (one per user across their sockets and nodes, per socket
 *   before authentication), presence and heartbeat events included; over budget, it is answered
 *   `rate_limited` (when it carries an ack) and goes no further;
 * - an event no handler serves is answered `unknown_event` at once instead of leaving its ack waiting;
 * - otherwise the server's one handler of that event (ack.ts) runs with this socket. Socket.IO's own
 *   per-socket listeners are not used, so a connection carries no table of them.
 */
export function installEventGate(socket: AppSocket): void {
  const raw = socket as unknown as UntypedSocket;
  const io = raw.nsp.server;
  const ctx = socketEventsContext(io);
  raw.use((packet) => {
    const taken = ctx.buckets?.take(socket.data.actor?.userId ?? socket.id) ?? 0;
    // Embedded mode answers at once; only a shared (Redis) budget costs a round trip (and never rejects).
    if (typeof taken === 'number') dispatch(socket, io, ctx, packet, taken);
    else void taken.then((retryAfterMs) => dispatch(socket, io, ctx, packet, retryAfterMs));
  });
}
