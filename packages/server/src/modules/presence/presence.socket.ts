import { HeartbeatSchema, presenceClientEvents, StatusQuerySchema, UpdateStatusSchema } from '@switchboard/protocol';
import type { z } from 'zod';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import { normalizeError } from '../../normalize-error.js';
import { rooms } from '../../rooms.js';
import { handleEvent, takeAck } from '../../socket/ack.js';
import { serialQueue } from '../../socket/serial-queue.js';
import type { AppSocket as Socket, AppServer as SocketServer } from '../../socket/types.js';
import type { OnlineListBatcher } from './online-list-batcher.js';
import type { PresenceService } from './presence.service.js';

type Logger = { error(obj: object, msg: string): void };

/** Client events a program sends by itself; every other event counts as the person being active. */
const NOT_ACTIVITY = new Set(['heartbeat', 'online:list', 'status:query', 'auth.refresh', 'sync']);

/** What presence keeps per authenticated socket. */
interface PresenceSocket {
  actor: Actor;
  /** Everything this socket does to presence runs in order, so a fast disconnect cannot overtake its connect. */
  serial: (fn: () => Promise<unknown>) => void;
  /** When activity was last recorded; activity within the service's resolution changes nothing anyone sees. */
  activityAt: number;
}

const sockets = new WeakMap<Socket, PresenceSocket>();

/**
 * Presence on one authenticated socket: connect it, count what it sends as activity, its transport pings as
 * heartbeats, and disconnect it when it goes.
 */
export function presenceSocket(
  socket: Socket,
  svc: PresenceService,
  log: Logger,
  onlineLists: OnlineListBatcher,
  now: () => number,
): void {
  const actor = socket.data.actor;
  if (!actor) return;
  const queue = serialQueue();
  const s: PresenceSocket = {
    actor,
    serial: (fn) => {
      queue(fn).catch((err) => log.error({ err, socketId: socket.id }, 'presence update failed'));
    },
    activityAt: Number.NEGATIVE_INFINITY,
  };
  sockets.set(socket, s);
  socket.onAny((event: string) => {
    if (NOT_ACTIVITY.has(event)) return;
    const t = now();
    if (t - s.activityAt < svc.activityResolutionMs) return;
    s.activityAt = t;
    s.serial(() => svc.activity(actor, socket.id));
  });
  // Transport pings prove the device is alive even when the client sends no presence heartbeat.
  socket.conn.on('heartbeat', () => s.serial(() => svc.heartbeat(actor, {}, socket.id)));
  s.serial(async () => {
    await svc.connect(actor, socket.id);
    // Sent within ONLINE_LIST_WINDOW_MS, built once for every socket of the org that connected meanwhile.
    onlineLists.request(socket.id, actor);
  });
  socket.on('disconnect', () => s.serial(() => svc.disconnect(actor, socket.id)));
}

/**
 * Presence's client events, registered once per server. The source protocol's clients emit without ack
 * callbacks and listen for a server event instead (`online:users`, `user:status`, `status:updated`,
 * `heartbeat:ack`), so each handler answers with that event and, when the client passed one, with the ack
 * as well; each runs in its socket's order (`presenceSocket`).
 */
export function presenceEvents(io: SocketServer, svc: PresenceService, log: Logger, now: () => number): void {
  function handle<S extends z.ZodType, R>(
    event: keyof typeof presenceClientEvents,
    schema: S,
    run: (input: z.output<S>, actor: Actor, socket: Socket) => Promise<R>,
    answer: (data: R, actor: Actor, socket: Socket) => void,
  ) {
    handleEvent(io, event, (socket, args) => {
      const ack = takeAck<R>(args);
      const s = sockets.get(socket);
      const fail = (err: unknown) => {
        const e = normalizeError(err);
        if (e.code === 'internal') log.error({ err, event, socketId: socket.id }, 'socket handler failed');
        ack?.({ ok: false, error: { code: e.code, message: e.message } });
      };
      if (!s) return fail(new AppError('unauthenticated'));
      s.serial(async () => {
        try {
          const data = await run(schema.parse(args[0]), s.actor, socket);
          answer(data, s.actor, socket);
          ack?.({ ok: true, data });
        } catch (err) {
          fail(err);
        }
      });
    });
  }

  handle(
    'status:update',
    UpdateStatusSchema,
    (input, actor) => svc.setStatus(actor, input.status),
    (presence, actor, socket) => io.to([rooms.user(actor.userId), socket.id]).emit('status:updated', presence),
  );
  handle(
    'online:list',
    presenceClientEvents['online:list'],
    async (_input, actor) => ({ users: await svc.online(actor) }),
    (data, _actor, socket) => socket.emit('online:users', data),
  );
  handle(
    'status:query',
    StatusQuerySchema,
    (input, actor) => svc.get(actor, input.targetUserId),
    (presence, _actor, socket) => socket.emit('user:status', { ...presence, timestamp: now() }),
  );
  handle(
    'heartbeat',
    HeartbeatSchema,
    (input, actor, socket) => svc.heartbeat(actor, input ?? {}, socket.id),
    (ack, _actor, socket) => socket.emit('heartbeat:ack', ack),
  );
}
