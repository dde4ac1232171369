import type { Ack, ClientTelemetryEvent, ClientToServerEvents, ServerToClientEvents } from '@switchboard/protocol';
import { io, type Socket as UntypedSocket } from 'socket.io-client';

/** The client's socket, typed with the protocol's event maps (the same ones the server emits with). */
export type Socket = UntypedSocket<ServerToClientEvents, ClientToServerEvents>;

import type { TokenManager } from './auth.js';
import { type BackoffOptions, fullJitter } from './backoff.js';
import { REFRESHABLE, SwitchboardError } from './errors.js';

/** How the client talks to the server right now. */
export type ConnectionState = 'connecting' | 'websocket' | 'polling' | 'closed';

export interface ConnectionOptions {
  url: string;
  path: string;
  /** Engine.IO transports. Default `['websocket']`: the SDK's own HTTP fallback replaces long-polling. */
  transports: ('websocket' | 'polling')[];
  /** One connection attempt gives up after this. Default 5 s. */
  connectTimeoutMs: number;
  reconnect: BackoffOptions;
  /** Consecutive failed attempts before the HTTP fallback starts. Default 3. */
  failuresBeforeFallback: number;
  /** No inbound packet for this long while "connected", or no connection for this long: fallback. Default 10 s. */
  stallTimeoutMs: number;
  tokens: TokenManager;
  count(event: ClientTelemetryEvent, reason?: string): void;
  /** The socket connected (first time or again): resume. */
  onConnected(socket: Socket): void;
  onState(state: ConnectionState): void;
  /** Start or stop the HTTP fallback. */
  onFallback(active: boolean): void;
  random?: () => number;
}

/**
 * The Socket.IO side of the client: token injection on every (re)connect, its own reconnect loop (exponential
 * backoff with full jitter, so a fleet does not stampede a restarted server), a liveness watchdog (a socket
 * that says "connected" but delivers nothing is treated as dead), and the decision to fall back to HTTP
 * polling — after `failuresBeforeFallback` failed attempts, or `stallTimeoutMs` without a working socket.
 *
 * @example
 * ```ts
 * const conn = new Connection({ url, path: '/socket.io', transports: ['websocket'], … });
 * conn.start();
 * if (conn.usable()) conn.socket.emit('message.typing', { conversationId, typing: true }, () => {});
 * ```
 */
export class Connection {
  readonly socket: Socket;
  private state: ConnectionState = 'connecting';
  private failures = 0;
  private attempt = 0;
  private lastInbound = 0;
  private downSince = Date.now();
  private lastProbe = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private waiters: (() => void)[] = [];
  private closed = false;
  fallbackActive = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.socket = io(opts.url, {
      path: opts.path,
      transports: opts.transports,
      reconnection: false,
      autoConnect: false,
      forceNew: true,
      timeout: opts.connectTimeoutMs,
      // Called on every connection attempt, so a reconnect always carries the freshest token.
      auth: (cb) => {
        opts.tokens.token().then(
          (token) => cb({ token }),
          () => cb({}),
        );
      },
    });
    const alive = () => {
      this.lastInbound = Date.now();
    };
    this.socket.io.on('packet', alive);
    this.socket.io.on('ping', alive);
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('connect_error', (err) => this.onConnectError(err as Error & { data?: { code?: string } }));
    this.socket.on('disconnect', (reason) => this.onDisconnect(reason));
    this.socket.on('session.ended', (e: { code?: string }) => {
      if (e?.code === 'session_revoked') opts.tokens.expire(new SwitchboardError('session_revoked', 'session ended'));
    });
  }

  get current(): ConnectionState {
    return this.state;
  }

  start(): void {
    this.downSince = Date.now();
    this.socket.connect();
    const tick = Math.max(50, Math.min(1000, Math.floor(this.opts.stallTimeoutMs / 4)));
    this.watchdog = setInterval(() => this.watch(), tick);
    (this.watchdog as { unref?: () => void }).unref?.();
  }

  /** The socket is connected and has shown signs of life recently. */
  usable(): boolean {
    return this.socket.connected && Date.now() - this.lastInbound <= this.opts.stallTimeoutMs;
  }

  /** Resolves once the socket is usable or the HTTP fallback is on; rejects when closed. */
  whenUsable(): Promise<void> {
    if (this.closed) return Promise.reject(new SwitchboardError('closed', 'the client was closed'));
    if (this.usable() || this.fallbackActive) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push(() => (this.closed ? reject(new SwitchboardError('closed', 'closed')) : resolve()));
    });
  }

  /**
   * Emit with an ack and a timeout; a `{ ok: false }` ack becomes a SwitchboardError with its code.
   * Refuses to emit on a disconnected socket (Socket.IO would buffer it and send it after the next connect).
   */
  call<T>(event: keyof ClientToServerEvents, payload: unknown, timeoutMs: number): Promise<T> {
    if (!this.socket.connected) return Promise.reject(new SwitchboardError('disconnected', 'not connected'));
    return new Promise<T>((resolve, reject) => {
      // The name is checked against the protocol's map; the payload was typed by the caller's own method.
      (this.socket as UntypedSocket).timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: Ack<T>) => {
        if (err) {
          const lost = /disconnected/.test(err.message);
          reject(new SwitchboardError(lost ? 'disconnected' : 'timeout', `${event}: ${err.message}`));
        } else if (!ack || typeof ack !== 'object') {
          reject(new SwitchboardError('invalid_response', `${event}: malformed ack`));
        } else if (ack.ok) resolve(ack.data);
        else reject(new SwitchboardError(ack.error.code, ack.error.message, { details: ack.error.details }));
      });
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.watchdog);
    this.socket.close();
    this.setState('closed');
    this.flushWaiters();
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.opts.onState(state);
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private onConnect(): void {
    this.failures = 0;
    this.attempt = 0;
    this.lastInbound = Date.now();
    if (this.fallbackActive) {
      this.fallbackActive = false;
      this.opts.onFallback(false);
    }
    this.setState('websocket');
    this.flushWaiters();
    this.opts.onConnected(this.socket);
  }

  private onConnectError(err: Error & { data?: { code?: string } }): void {
    if (this.closed) return;
    const code = err.data?.code ?? err.message;
    if (code === 'session_revoked') {
      this.opts.tokens.expire(new SwitchboardError('session_revoked', 'the session has ended'));
      return;
    }
    if (REFRESHABLE.has(code)) {
      // The server refused our token: get a fresh one first (an expired session ends in auth.expired).
      this.opts.tokens.refresh().then(
        () => this.scheduleReconnect(),
        () => {
          if (!this.opts.tokens.expired) this.scheduleReconnect();
        },
      );
      return;
    }
    this.failures++;
    if (this.failures >= this.opts.failuresBeforeFallback) this.activateFallback('connect_failures');
    this.scheduleReconnect(`connect_error: ${code}`);
  }

  private onDisconnect(reason = 'disconnect'): void {
    // Whatever Socket.IO buffered for this connection would be replayed blindly on the next one.
    this.socket.sendBuffer = [];
    if (this.closed) return;
    this.downSince = Date.now();
    if (!this.fallbackActive) this.setState('connecting');
    this.scheduleReconnect(reason);
  }

  private scheduleReconnect(reason = 'token refreshed'): void {
    if (this.closed || this.reconnectTimer || this.socket.connected || this.opts.tokens.expired) return;
    this.attempt++;
    this.opts.count('reconnect_attempt', reason);
    const delay = fullJitter(this.attempt, this.opts.reconnect, this.opts.random);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed && !this.socket.connected) this.socket.connect();
    }, delay);
  }

  private activateFallback(reason: string): void {
    if (this.fallbackActive || this.closed) return;
    this.fallbackActive = true;
    this.opts.count('fallback_activated', reason);
    this.setState('polling');
    this.opts.onFallback(true);
    this.flushWaiters();
  }

  private watch(): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.socket.connected) {
      const idle = now - this.lastInbound;
      if (idle > this.opts.stallTimeoutMs) {
        // Connected on paper only (a proxy holding the connection open): poll, and get a real socket.
        this.activateFallback('stalled');
        this.socket.disconnect();
        return;
      }
      // Nothing heard for a while: ask for an answer, so silence means a dead path and not a quiet chat.
      const probeEvery = this.opts.stallTimeoutMs / 3;
      if (idle > probeEvery && now - this.lastProbe > probeEvery) {
        this.lastProbe = now;
        this.socket.emit('heartbeat', {}, () => {});
      }
    } else if (now - this.downSince > this.opts.stallTimeoutMs) {
      this.activateFallback('down_too_long');
    }
  }
}
