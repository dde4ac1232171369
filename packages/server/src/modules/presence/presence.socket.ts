import {
  type Ack,
  HeartbeatSchema,
  presenceClientEvents,
  StatusQuerySchema,
  UpdateStatusSchema,
} from '@switchboard/protocol';
import type { z } from 'zod';
import { normalizeError } from '../../normalize-error.js';
import { rooms } from '../../rooms.js';
import { serialQueue } from '../../socket/serial-queue.js';
import type { AppSocket as Socket, AppServer as SocketServer } from '../../socket/types.js';
import type { OnlineListBatcher } from './online-list-batcher.js';
import type { PresenceService } from './presence.service.js';

type Logger = { error(obj: object, msg: string): void };

/** Client events a program sends by itself; every other event counts as the person being active. */
const NOT_ACTIVITY = new Set(['heartbeat', 'online:list', 'status:query', 'auth.refresh', 'sync']);

/**
 * Presence on one authenticated socket. The source protocol's clients emit without ack callbacks and listen
 * for a server event instead (`online:users`, `user:status`, `status:updated`, `heartbeat:ack`), so each
 * handler answers with that event and, when the client passed one, with the ack as well. Everything this
 * socket does to presence runs in order, so a fast disconnect cannot overtake its own connect.
 */
export function presenceSocket(
  socket: Socket,
  io: SocketServer,
  svc: PresenceService,
  log: Logger,
  onlineLists: OnlineListBatcher,
  now: () => number,
): void {
  const actor = socket.data.actor;
  if (!actor) return;
  const queue = serialQueue();
  const serial = (fn: () => Promise<unknown>) => {
    queue(fn).catch((err) => log.error({ err, socketId: socket.id }, 'presence update failed'));
  };

  function handle<S extends z.ZodType, R>(
    event: keyof typeof presenceClientEvents,
    schema: S,
    run: (input: z.output<S>) => Promise<R>,
    answer: (data: R) => void,
  ) {
    socket.on(event, (...args: unknown[]) => {
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as (res: Ack<R>) => void) : undefined;
      serial(async () => {
        try {
          const data = await run(schema.parse(args[0]));
          answer(data);
          ack?.({ ok: true, data });
        } catch (err) {
          const e = normalizeError(err);
          if (e.code === 'internal') log.error({ err, event, socketId: socket.id }, 'socket handler failed');
          ack?.({ ok: false, error: { code: e.code, message: e.message } });
        }
      });
    });
  }

  // Activity within the service's resolution of the last recorded one changes nothing anyone sees.
  let activityAt = Number.NEGATIVE_INFINITY;
  socket.onAny((event: string) => {
    if (NOT_ACTIVITY.has(event)) return;
    const t = now();
    if (t - activityAt < svc.activityResolutionMs) return;
    activityAt = t;
    serial(() => svc.activity(actor, socket.id));
  });
  // Transport pings prove the device is alive even when the client sends no presence heartbeat.
  socket.conn.on('heartbeat', () => serial(() => svc.heartbeat(actor, {}, socket.id)));

  handle(
    'status:update',
    UpdateStatusSchema,
    (input) => svc.setStatus(actor, input.status),
    (presence) => io.to([rooms.user(actor.userId), socket.id]).emit('status:updated', presence),
  );
  handle(
    'online:list',
    presenceClientEvents['online:list'],
    async () => ({ users: await svc.online(actor) }),
    (data) => socket.emit('online:users', data),
  );
  handle(
    'status:query',
    StatusQuerySchema,
    (input) => svc.get(actor, input.targetUserId),
    (presence) => socket.emit('user:status', { ...presence, timestamp: now() }),
  );
  handle(
    'heartbeat',
    HeartbeatSchema,
    (input) => svc.heartbeat(actor, input ?? {}, socket.id),
    (ack) => socket.emit('heartbeat:ack', ack),
  );

  serial(async () => {
    await svc.connect(actor, socket.id);
    // Sent within ONLINE_LIST_WINDOW_MS, built once for every socket of the org that connected meanwhile.
    onlineLists.request(socket.id, actor);
  });
  socket.on('disconnect', () => serial(() => svc.disconnect(actor, socket.id)));
}
