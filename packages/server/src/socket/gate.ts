import type { Socket as UntypedSocket } from 'socket.io';
import { socketEventsContext } from './events-context.js';
import type { AppSocket } from './types.js';

type AckFn = (res: unknown) => void;

/**
 * Every client → server event passes here before any handler (Socket.IO's per-socket middleware):
 * - it is charged to the sender's event budget (one per user across their sockets and nodes, per socket
 *   before authentication), presence and heartbeat events included; over budget, it is answered
 *   `rate_limited` (when it carries an ack) and goes no further;
 * - an event no handler listens to is answered `unknown_event` at once instead of leaving its ack waiting.
 */
export function installEventGate(socket: AppSocket): void {
  const raw = socket as unknown as UntypedSocket;
  const ctx = socketEventsContext(raw.nsp.server);
  raw.use(async (packet, next) => {
    const [event, ...args] = packet as [string, ...unknown[]];
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as AckFn) : undefined;
    const refuse = (code: 'rate_limited' | 'unknown_event', message: string, details?: object) => {
      ctx.errors?.inc({ code });
      ack?.({ ok: false, error: { code, message, ...(details ? { details } : {}) } });
    };
    const key = socket.data.actor?.userId ?? socket.id;
    const taken = ctx.buckets?.take(key) ?? 0;
    // Embedded mode answers at once; only a shared (Redis) budget costs a round trip.
    const retryAfterMs = typeof taken === 'number' ? taken : await taken;
    if (retryAfterMs > 0) return refuse('rate_limited', 'Too many events', { retryAfterMs });
    if (raw.listeners(event).length === 0)
      return refuse('unknown_event', `No such event: ${String(event).slice(0, 64)}`);
    next();
  });
}
