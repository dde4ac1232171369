import { messengerClientEvents } from '@switchboard/protocol';
import type { z } from 'zod';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import { onEvent } from '../../socket/ack.js';
import { serialQueue } from '../../socket/serial-queue.js';
import type { AppSocket as Socket, AppServer as SocketServer } from '../../socket/types.js';
import type { MessengerService } from './messenger.service.js';
import { conversationRoom } from './notifier.js';

type Logger = { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };

/** What the messenger keeps per authenticated socket. */
interface MessengerSocket {
  actor: Actor;
  /** Settles once the socket is in its conversation rooms; every handler waits for it. */
  joined: Promise<void>;
  /** Sends from one socket commit in the order it emitted them, even without waiting for each ack. */
  inOrder: ReturnType<typeof serialQueue>;
}

const sockets = new WeakMap<Socket, MessengerSocket>();

/**
 * The messenger on one authenticated socket: joins the conversation rooms the database says the user is in.
 * The handlers (`messengerEvents`) wait for the join, so a `sync` cannot answer before live events are flowing
 * (no gap between the two).
 */
export function messengerSocket(socket: Socket, svc: MessengerService, log: Logger): void {
  const actor = socket.data.actor;
  if (!actor) return;
  const joined = (async () => {
    const first = await svc.conversations.roomsOf(actor);
    await socket.join(first.map(conversationRoom));
    // A removal that committed while we read ran its socketsLeave before this socket was in the room:
    // read again and leave what is gone (an addition reaches the socket through its user room anyway).
    const now = new Set(await svc.conversations.roomsOf(actor));
    for (const id of first) if (!now.has(id)) await socket.leave(conversationRoom(id));
  })().catch((err) => {
    log.warn({ err, socketId: socket.id }, 'joining conversation rooms failed');
    socket.disconnect(true);
    throw new AppError('unavailable', 'could not load your conversations; reconnect');
  });
  joined.catch(() => {});
  sockets.set(socket, { actor, joined, inOrder: serialQueue() });
}

/**
 * The messenger's client events, registered once per server with the same service functions as REST; each
 * finds its socket's state (`messengerSocket`).
 */
export function messengerEvents(io: SocketServer, svc: MessengerService, log: Logger): void {
  const on = <K extends keyof typeof messengerClientEvents, R>(
    event: K,
    handler: (input: z.output<(typeof messengerClientEvents)[K]>, s: MessengerSocket) => Promise<R>,
  ) =>
    onEvent(
      io,
      event,
      messengerClientEvents[event],
      async (socket, input) => {
        const s = sockets.get(socket);
        if (!s) throw new AppError('unauthenticated');
        await s.joined;
        return handler(input as z.output<(typeof messengerClientEvents)[K]>, s);
      },
      log,
    );

  on('message.send', ({ conversationId, ...body }, s) =>
    s.inOrder(() => svc.messages.send(s.actor, conversationId, body)),
  );
  on('message.edit', ({ messageId, text }, s) => s.inOrder(() => svc.messages.edit(s.actor, messageId, { text })));
  on('message.delete', ({ messageId }, s) => s.inOrder(() => svc.messages.delete(s.actor, messageId)));
  on('message.react', ({ messageId, ...body }, s) => svc.messages.react(s.actor, messageId, body));
  on('message.read', ({ conversationId, seq }, s) => svc.messages.markRead(s.actor, conversationId, { seq }));
  on('message.typing', (input, s) => svc.typing(s.actor, input));
  on('sync', (input, s) => svc.sync.sync(s.actor, input));
}
