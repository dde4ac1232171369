import type { Counter } from 'prom-client';
import type { EventBudget } from '../platform/token-bucket.js';

/** What `onEvent` needs from the app beyond the socket: the event rate limit and the error counter. */
export interface SocketEventsContext {
  /** Per-user event budget (in process, or shared by every node in cluster mode); undefined = unlimited. */
  buckets?: EventBudget;
  errors?: Counter<'code'>;
}

const contexts = new WeakMap<object, SocketEventsContext>();

/** Attach the context to a Socket.IO server; `onEvent` finds it through `socket.nsp.server`. */
export function configureSocketEvents(io: object, ctx: SocketEventsContext): void {
  contexts.set(io, ctx);
}

export function socketEventsContext(io: object): SocketEventsContext {
  return contexts.get(io) ?? {};
}
