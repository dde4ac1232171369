import type { ServerModule } from '../../server-module.js';
import { OUTBOX_DRAIN_EVERY_MS } from './after-commit.js';
import { messengerRoutes } from './messenger.http.js';
import { messengerEvents, messengerSocket } from './messenger.socket.js';
import { searchRoutes } from './search.http.js';
import { messageSearch } from './search.js';
import { searchIndex } from './search-index.js';

/**
 * Conversations, messages, receipts, typing, sync and search (issues 4, 20). The outbox drain (after-commit
 * work a crash interrupted) runs when the app is ready and then every few seconds, on this app's own hooks.
 */
export const messengerModule: ServerModule = {
  name: 'messenger',
  async http(app, { services, platform }) {
    let timer: NodeJS.Timeout | undefined;
    let draining = false;
    const drain = async () => {
      if (draining) return;
      draining = true;
      try {
        await services.messenger.drainAfterCommit();
      } catch (err) {
        app.log.warn({ err }, 'messenger: outbox drain failed');
      } finally {
        draining = false;
      }
    };
    app.addHook('onReady', async () => {
      void drain();
      timer = setInterval(drain, OUTBOX_DRAIN_EVERY_MS);
      timer.unref();
    });
    // Stored messages enter the SQLite search index in batches, shortly after (search-index.ts).
    const index = searchIndex(platform.database, app.log);
    const unlisten = services.messenger.onMessageStored(() => index.soon());
    app.addHook('preClose', async () => {
      clearInterval(timer);
      unlisten();
      index.stop();
    });
    await messengerRoutes(app, services.messenger);
    await searchRoutes(app, messageSearch(platform, index));
  },
  events: ({ io, services, log }) => messengerEvents(io, services.messenger, log),
  socket: (socket, { services, log }) => messengerSocket(socket, services.messenger, log),
};
