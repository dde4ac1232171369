import type { Server as SocketServer } from 'socket.io';
import type { ServerModule } from '../../modules.js';
import { presenceRoutes } from './presence.http.js';
import { audienceRooms } from './presence.rules.js';
import { presenceOf } from './presence.service.js';
import { presenceSocket } from './presence.socket.js';

/** How often the cleanup loop runs at most; offline is announced within heartbeat timeout + this. */
export const SWEEP_MAX_MS = 5_000;

/**
 * The presence module. Its fan-out and cleanup loop hang on the app's own lifecycle hooks (registered with
 * its routes) rather than `start` / `stop`, because `stop` gets no context to tell which app's loop to end
 * when several apps share a process (tests).
 */
/** The app logger per Socket.IO server: socket handlers get no logger of their own. */
const loggers = new WeakMap<SocketServer, { error(obj: object, msg: string): void }>();

export const presenceModule: ServerModule = {
  name: 'presence',
  async http(app, { platform, io }) {
    const svc = presenceOf(platform);
    loggers.set(io, app.log);
    await presenceRoutes(app, svc);
    const unsubscribe = svc.onChange((c) => io.to(audienceRooms(c.orgId, c.role)).emit('user:status', c.presence));
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
    app.addHook('onReady', async () => {
      timer = setInterval(sweep, Math.min(SWEEP_MAX_MS, Math.floor(svc.rules.heartbeatTimeoutMs / 4)));
      timer.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      unsubscribe();
      await svc.flushLastSeen(true).catch((err) => app.log.warn({ err }, 'presence lastSeen flush failed'));
    });
  },
  socket(socket, { platform, io }) {
    presenceSocket(socket, io, presenceOf(platform), loggers.get(io) ?? { error: () => {} });
  },
};
