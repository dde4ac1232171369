import type { Ack, ClientToServerEvents } from '@switchboard/protocol';
import type { Socket as UntypedSocket } from 'socket.io';
import type { z } from 'zod';
import { normalizeError } from '../normalize-error.js';
import { socketEventsContext } from './events-context.js';
import type { AppSocket as Socket } from './types.js';

type Logger = { error(obj: object, msg: string): void };

const registered = new WeakMap<object, Set<string>>();

/** Every event name `onEvent` registered on this Socket.IO server so far (the access matrix walks them). */
export function registeredEvents(io: object): ReadonlySet<string> {
  return registered.get(io) ?? new Set();
}

/**
 * Register a client → server event: validate the payload with its protocol schema, call the service and
 * acknowledge `{ ok: true, data }` or `{ ok: false, error: { code, message } }`. A payload without an ack
 * callback is answered nowhere, so it is dropped.
 *
 * @example
 * ```ts
 * onEvent(socket, 'message.send', SendMessageSchema, (input) => messages.send(actor, input), log);
 * ```
 */
export function onEvent<S extends z.ZodType, R>(
  socket: Socket,
  // A name of the protocol's event map (tests may register `test.*` events of their own).
  event: keyof ClientToServerEvents | `test.${string}`,
  schema: S,
  handler: (input: z.output<S>) => Promise<R> | R,
  log: Logger,
): void {
  const names = registered.get(socket.nsp.server) ?? new Set<string>();
  registered.set(socket.nsp.server, names.add(event));
  const ctx = socketEventsContext(socket.nsp.server);
  // The payload is checked against `schema` at run time; the static map only names the events.
  (socket as unknown as UntypedSocket).on(event, async (payload: unknown, ack?: (res: Ack<R>) => void) => {
    // The event gate (gate.ts) has charged the sender's budget already; without an ack there is no one to answer.
    if (typeof ack !== 'function') return;
    try {
      const input = schema.parse(payload);
      ack({ ok: true, data: await handler(input) });
    } catch (err) {
      const appErr = normalizeError(err);
      if (appErr.code === 'internal') log.error({ err, event, socketId: socket.id }, 'socket handler failed');
      ctx.errors?.inc({ code: appErr.code });
      ack({
        ok: false,
        error: { code: appErr.code, message: appErr.message, ...(appErr.details ? { details: appErr.details } : {}) },
      });
    }
  });
}
