import { messengerClientEvents } from '@switchboard/protocol';
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import { onEvent } from '../../socket/ack.js';
import { serialQueue } from '../../socket/serial-queue.js';
import type { AppSocket as Socket } from '../../socket/types.js';
import type { MessengerService } from './messenger.service.js';
import { conversationRoom } from './notifier.js';

type Logger = { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };

/**
 * The messenger on one authenticated socket: joins the conversation rooms the database says the user is in,
 * then serves the client events with the same service functions as REST. Every handler waits for the room
 * join, so a `sync` cannot answer before live events are flowing (no gap between the two).
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

  // Sends from one socket commit in the order it emitted them, even without waiting for each ack.
  const inOrder = serialQueue();

  const on = <K extends keyof typeof messengerClientEvents, R>(
    event: K,
    handler: (input: z.output<(typeof messengerClientEvents)[K]>) => Promise<R>,
  ) =>
    onEvent(
      socket,
      event,
      messengerClientEvents[event],
      async (input) => {
        await joined;
        return handler(input as z.output<(typeof messengerClientEvents)[K]>);
      },
      log,
    );

  on('message.send', ({ conversationId, ...body }) => inOrder(() => svc.messages.send(actor, conversationId, body)));
  on('message.edit', ({ messageId, text }) => inOrder(() => svc.messages.edit(actor, messageId, { text })));
  on('message.delete', ({ messageId }) => inOrder(() => svc.messages.delete(actor, messageId)));
  on('message.react', ({ messageId, ...body }) => svc.messages.react(actor, messageId, body));
  on('message.read', ({ conversationId, seq }) => svc.messages.markRead(actor, conversationId, { seq }));
  on('message.typing', (input) => svc.typing(actor, input));
  on('sync', (input) => svc.sync.sync(actor, input));
}
