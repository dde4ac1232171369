import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Platform } from './platform/platform.js';
import type { Services } from './services.js';
import type { AppSocket as Socket, AppServer as SocketServer } from './socket/types.js';

/**
 * What a module gets when the app wires it: the platform, the Socket.IO server (for fan-out), every service
 * of the app built once in dependency order (`services.ts`), and the app's logger (socket handlers have none
 * of their own).
 */
export interface ModuleContext {
  platform: Platform;
  io: SocketServer;
  services: Services;
  log: FastifyBaseLogger;
}

/**
 * One domain module as the app sees it: `http` registers thin routes (and ties any background work, such as
 * timers or queue workers, to this app's own lifecycle hooks), `events` registers its client → server socket
 * events once per app (`onEvent` / `handleEvent` in socket/ack.ts), and `socket` sets up each authenticated
 * connection (rooms, per-socket state). There is no module-level start/stop: a module object is shared by every app of a
 * process (tests run several), so per-app state lives in the app's hooks and services.
 */
export interface ServerModule {
  name: string;
  http?: (app: FastifyInstance, ctx: ModuleContext) => Promise<void>;
  events?: (ctx: ModuleContext) => void;
  socket?: (socket: Socket, ctx: ModuleContext) => void;
}
