import type { ConnectedEvent } from '@switchboard/protocol';
import type { ServerModule } from '../../server-module.js';
import { presenceRoutes } from './presence.http.js';
import { audienceRooms } from './presence.rules.js';
import { presenceEvents, presenceSocket } from './presence.socket.js';
import { presenceAliasRoutes } from './presence-aliases.http.js';

/** How often the cleanup loop runs at most; offline is announced within heartbeat timeout + this. */
export const SWEEP_MAX_MS = 5_000;

/**
 * The presence module. Its fan-out and cleanup loop hang on the app's own lifecycle hooks (registered with
 * its routes): module-level `start` / `stop` state would be shared by every app of a process (tests run
 * several). The service and the online-list batcher are built in services.ts.
 */
export const presenceModule: ServerModule = {
  name: 'presence',
  async http(app, { platform, io, services }) {
    const svc = services.presence;
    await presenceRoutes(app, svc);
    await presenceAliasRoutes(app, svc);
    const unsubscribe = svc.onChange((c) =>
      io.to(audienceRooms(c.orgId, c.role)).emit('user:status', { ...c.presence, timestamp: platform.clock.now() }),
    );
    let timer: NodeJS.Timeout | undefined;
    let sweeping = false;
    const sweep = async () => {
      if (sweeping) return;
      sweeping = true;
      try {
        await svc.sweep();
      } catch (err) {
        app.log.warn({ err }, 'presence sweep failed');
      } finally {
        sweeping = false;
      }
    };
    // Cluster mode: Redis may come back empty or with this node's records expired. Every local socket is
    // registered again at once, instead of waiting for its next heartbeat or transport ping.
    let redisSeen = false;
    const reregister = () => {
      if (!redisSeen) {
        redisSeen = true;
        return;
      }
      for (const socket of io.of('/').sockets.values()) {
        const actor = socket.data.actor;
        if (actor) svc.connect(actor, socket.id).catch((err) => app.log.warn({ err }, 'presence re-register failed'));
      }
    };
    platform.redis?.client.on('ready', reregister);
    app.addHook('onReady', async () => {
      if (platform.redis?.ready()) redisSeen = true;
      timer = setInterval(sweep, Math.min(SWEEP_MAX_MS, Math.floor(svc.rules.heartbeatTimeoutMs / 4)));
      timer.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      platform.redis?.client.off('ready', reregister);
      services.onlineLists.close();
      unsubscribe();
      await svc.flushLastSeen(true).catch((err) => app.log.warn({ err }, 'presence lastSeen flush failed'));
    });
  },
  events({ io, services, log, platform }) {
    presenceEvents(io, services.presence, log, () => platform.clock.now());
  },
  socket(socket, { services, log, platform }) {
    presenceSocket(socket, services.presence, log, services.onlineLists, () => platform.clock.now());
    // The presence document's client hook listens for `connected` once the handshake is through.
    const actor = socket.data.actor;
    if (!actor) return;
    socket.emit('connected', {
      userId: actor.userId,
      orgId: actor.orgId,
      sessionId: actor.sessionId,
      serverTime: platform.clock.now(),
    } satisfies ConnectedEvent);
  },
};
