import type { ServerModule } from '../../server-module.js';
import { messengerRoutes } from './messenger.http.js';
import { messengerSocket } from './messenger.socket.js';

/** Conversations, messages, receipts, typing and sync (issue 4). */
export const messengerModule: ServerModule = {
  name: 'messenger',
  http: (app, { services }) => messengerRoutes(app, services.messenger),
  socket: (socket, { services, log }) => messengerSocket(socket, services.messenger, log),
};
