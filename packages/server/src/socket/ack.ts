import type { Ack, ClientToServerEvents } from '@switchboard/protocol';
import type { z } from 'zod';
import { normalizeError } from '../normalize-error.js';
import { socketEventsContext } from './events-context.js';
import type { AppSocket as Socket } from './types.js';

type Logger = { error(obj: object, msg: string): void };
type AckFn<R> = (res: Ack<R>) => void;
/** A client → server event's name: one of the protocol's event map (tests may register `test.*` events). */
type EventName = keyof ClientToServerEvents | `test.${string}`;

/**
 * What serves one client → server event on every socket of a server: the socket it came from and the
 * arguments it carried, the ack callback last when the client asked for one. It runs inside Socket.IO's
 * packet handling, so it must not throw: a refusal goes back through the ack (as `onEvent` does).
 */
export type SocketEventHandler = (socket: Socket, args: unknown[]) => void;

const handlers = new WeakMap<object, Map<string, SocketEventHandler>>();
const acked = new WeakMap<object, Set<string>>();

/** The handler of `event` on this Socket.IO server, if any (the event gate, gate.ts, dispatches with it). */
export function eventHandler(io: object, event: string): SocketEventHandler | undefined {
  return handlers.get(io)?.get(event);
}

/** Every event name `onEvent` registered on this Socket.IO server so far (the access matrix walks them). */
export function registeredEvents(io: object): ReadonlySet<string> {
  return acked.get(io) ?? new Set();
}

/**
 * Register the handler of a client → server event once for the whole server. A connection holds no listener
 * of its own: the event gate (gate.ts) looks the handler up for each event (each socket's closures and
 * listener tables were the largest part of a connection's memory; docs/performance.md). Registering an
 * event twice on one server is a programming error.
 */
export function handleEvent(io: object, event: EventName, handler: SocketEventHandler): void {
  const table = handlers.get(io) ?? new Map<string, SocketEventHandler>();
  handlers.set(io, table);
  if (table.has(event)) throw new Error(`socket event ${event} is registered twice`);
  table.set(event, handler);
}

/** The ack callback a client passed with an event (always last), taken off the arguments. */
export function takeAck<R>(args: unknown[]): AckFn<R> | undefined {
  return typeof args.at(-1) === 'function' ? (args.pop() as AckFn<R>) : undefined;
}

/**
 * Register a client → server event for every socket of `io`: validate the payload with its protocol schema,
 * call the service and acknowledge `{ ok: true, data }` or `{ ok: false, error: { code, message } }`. A
 * payload without an ack callback is answered nowhere, so it is dropped.
 *
 * @example
 * ```ts
 * onEvent(io, 'message.send', SendMessageSchema, (socket, input) => messages.send(socketActor(socket), input), log);
 * ```
 */
export function onEvent<S extends z.ZodType, R>(
  io: object,
  event: EventName,
  schema: S,
  handler: (socket: Socket, input: z.output<S>) => Promise<R> | R,
  log: Logger,
): void {
  handleEvent(io, event, async (socket, args) => {
    // The event gate has charged the sender's budget already; without an ack there is no one to answer.
    const ack = takeAck<R>(args);
    if (!ack) return;
    try {
      const input = schema.parse(args[0]);
      ack({ ok: true, data: await handler(socket, input) });
    } catch (err) {
      const appErr = normalizeError(err);
      if (appErr.code === 'internal') log.error({ err, event, socketId: socket.id }, 'socket handler failed');
      socketEventsContext(io).errors?.inc({ code: appErr.code });
      ack({
        ok: false,
        error: { code: appErr.code, message: appErr.message, ...(appErr.details ? { details: appErr.details } : {}) },
      });
    }
  });
  acked.set(io, (acked.get(io) ?? new Set<string>()).add(event));
}
