import type { Server as SocketServer } from 'socket.io';
import type { ServerModule } from '../../modules.js';
import { messengerRoutes } from './messenger.http.js';
import { type MessengerService, messengerService } from './messenger.service.js';
import { messengerSocket } from './messenger.socket.js';
import { socketNotifier } from './notifier.js';

type Logger = { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };

/** One service per app (tests run several apps in a process), found by the app's Socket.IO server. */
const perApp = new WeakMap<SocketServer, { svc: MessengerService; log: Logger }>();

/** The messenger service of the app that owns `io`, for other modules (e.g. the assistant). */
export function messengerFor(io: SocketServer): MessengerService | undefined {
  return perApp.get(io)?.svc;
}

/** Conversations, messages, receipts, typing and sync (issue 4). */
export const messengerModule: ServerModule = {
  name: 'messenger',
  async http(app, { platform, io }) {
    const svc = messengerService(platform, socketNotifier(io));
    perApp.set(io, { svc, log: app.log });
    app.addHook('onClose', async () => svc.close());
    await messengerRoutes(app, svc);
  },
  socket(socket, { io }) {
    const found = perApp.get(io);
    if (found) messengerSocket(socket, found.svc, found.log);
  },
};
