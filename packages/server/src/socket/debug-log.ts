import type { ServerModule } from '../server-module.js';
import type { AppSocket } from './types.js';

/**
 * Debug lines for tracing one user's traffic: one per socket event received (name and ids, never the
 * payload) and one per message stored, by socket or REST (ids and seq, never the text). Nothing is
 * registered at the default `info` level, so they cost nothing unless `LOG_LEVEL=debug` or `trace`.
 * Registered after the messenger, whose stored messages it hears.
 */
export const socketDebugLogModule: ServerModule = {
  name: 'debug-log',
  async http(app, { io, platform, services }) {
    // Not even the listeners at info and above: the lines would be dropped anyway.
    if (!['debug', 'trace'].includes(platform.config.logLevel)) return;
    const onConnection = (socket: AppSocket) => {
      const actor = socket.data.actor;
      socket.use(([event], next) => {
        app.log.debug({ event, socketId: socket.id, userId: actor?.userId, orgId: actor?.orgId }, 'socket event');
        next();
      });
    };
    io.on('connection', onConnection);
    const unsubscribe = services.messenger.onMessageStored((actor, message) => {
      app.log.debug(
        {
          userId: actor.userId,
          orgId: actor.orgId,
          sessionId: actor.sessionId,
          conversationId: message.conversationId,
          messageId: message.id,
          seq: message.seq,
        },
        'message stored',
      );
    });
    app.addHook('onClose', async () => {
      io.off('connection', onConnection);
      unsubscribe();
    });
  },
};
