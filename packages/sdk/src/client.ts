import {
  type ChosenStatus,
  type ClientToServerEvents,
  type Message,
  MessageTextSchema,
  type OnlineUsers,
  SendMessageSchema,
  type SendResult,
  type SyncResult,
  type TaskUpdatedEvent,
  type UserPresence,
} from '@switchboard/protocol';
import type { TasksApi } from './api/tasks.js';
import { TokenManager } from './auth.js';
import { Connection, type ConnectionState } from './connection.js';
import { type ChatMessage, optimisticMessage, type StoreChange } from './conversation-store.js';
import { SwitchboardError } from './errors.js';
import { ReadMarker, TypingHelper } from './helpers.js';
import { type ClientEvent, type ClientOptions, type ClientTiming, DEFAULT_TIMING } from './options.js';
import { Outbox } from './outbox.js';
import { memoryOutboxStore, type OutboxEntry } from './outbox-store.js';
import { Poller } from './poller.js';
import { Receiver } from './receiver.js';
import { RestClient } from './rest.js';
import { browserOnline, browserVisibility } from './signals.js';
import { forwardSocketEvents } from './socket-events.js';
import { Subscriptions } from './subscriptions.js';
import { Telemetry } from './telemetry.js';

/** Options of `client.send`. */
export interface SendOptions {
  /** Your own id for the message (a UUID); sending the same id again never stores it twice. */
  clientMsgId?: string;
  replyToId?: string;
  /** File ids from `api.files.upload` to the same conversation (at most 10). */
  attachments?: string[];
}

/** The Switchboard client: see `createClient`. */
export interface SwitchboardClient {
  /** Every REST endpoint, typed and validated. */
  readonly api: RestClient['api'];
  /** `connecting`, `websocket`, `polling` (HTTP fallback) or `closed`. */
  readonly state: ConnectionState;
  /** The signed-in user's id, once known. */
  readonly userId: string | undefined;
  /** Resolves when the outbox is restored and the user is known. */
  readonly ready: Promise<void>;
  /**
   * Send a message: the optimistic copy (state `sending`) is returned at once. `attachments` are ids from
   * `api.files.upload`; like the text they survive disconnects and reloads in the outbox, and are stored once.
   */
  send(conversationId: string, text: string, opts?: SendOptions): ChatMessage;
  /** Send a `failed` message again. */
  retry(clientMsgId: string): ChatMessage | undefined;
  /** Drop a message that is not stored yet. */
  discard(clientMsgId: string): boolean;
  /** A conversation's messages in order (stored by seq, then unsent). */
  messages(conversationId: string): ChatMessage[];
  /** Messages the outbox has not delivered yet (`sending` and `failed`). */
  pending(conversationId?: string): OutboxEntry[];
  edit(messageId: string, text: string): Promise<Message>;
  delete(messageId: string): Promise<Message>;
  react(messageId: string, emoji: string, on?: boolean): Promise<Message>;
  /** Move my read position forward (to the newest stored message by default). */
  markRead(conversationId: string, seq?: number): Promise<void>;
  readonly typing: { keystroke(conversationId: string): void; stop(conversationId: string): void };
  readonly presence: {
    setStatus(status: ChosenStatus): Promise<UserPresence>;
    list(): Promise<UserPresence[]>;
    get(userId: string): Promise<UserPresence>;
  };
  /** Background tasks: submit, get, list, cancel, retry, the admins' dead-letter queue, live `task.updated`. */
  readonly tasks: TasksApi;
  /** Listen under a stable name; subscribing again under the same name replaces the handler. */
  subscribe(name: string, handler: (event: ClientEvent) => void): () => void;
  unsubscribe(name: string): void;
  /** Catch up now (normally automatic: on every reconnect, on a seq gap, and on every fallback poll). */
  sync(): Promise<void>;
  readonly telemetry: Telemetry;
  /** Internals for diagnostics and tests. */
  readonly internals: { connection: Connection; poller: Poller; receiver: Receiver; outbox: Outbox };
  close(): void;
}

/**
 * Create a client: REST + Socket.IO with token refresh, reliable sending through a persistent outbox, resume
 * after every reconnect, and HTTP polling when the socket cannot work.
 *
 * @example
 * ```ts
 * import { createClient, loginAuth } from '@switchboard/sdk';
 * const client = createClient({ url: 'https://chat.example.com', auth: loginAuth({ email, password }) });
 * client.subscribe('chat', (e) => { if (e.type === 'message') render(client.messages(e.conversationId)); });
 * const msg = client.send(conversationId, 'Hello'); // msg.state === 'sending', shown at once
 * ```
 */
export function createClient(options: ClientOptions): SwitchboardClient {
  const timing: ClientTiming = { ...DEFAULT_TIMING, ...options.timing };
  const baseUrl = options.url.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const warn = options.warn ?? ((m: string, p?: unknown) => console.warn(`[switchboard] ${m}`, p ?? ''));
  const subs = new Subscriptions<ClientEvent>((err) => warn('subscriber threw', err));
  const emit = (e: ClientEvent) => subs.emit(e);
  let userId = options.userId;
  let closed = false;

  const http = { baseUrl, fetch: fetchFn, timeoutMs: timing.requestTimeoutMs };
  options.auth.bind?.(http);
  const tokens = new TokenManager(options.auth, {
    refreshMarginMs: timing.refreshMarginMs,
    onRefreshed: (accessToken) => {
      if (!conn.socket.connected) return;
      // Hand the live socket the new token; if it refuses, a reconnect carries the new token anyway.
      conn.call('auth.refresh', { accessToken }, timing.requestTimeoutMs).catch(() => conn.socket.disconnect());
    },
    onExpired: (reason) => {
      emit({ type: 'auth.expired', code: reason.code });
      poller.stop();
    },
  });
  const rest = new RestClient(http, tokens);
  const telemetry = new Telemetry(
    (batch) => rest.api.telemetry(batch),
    timing.telemetryIntervalMs,
    () => (conn.usable() ? 'websocket' : conn.fallbackActive ? 'polling' : 'offline'),
    (event, detail) => emit({ type: 'telemetry', event, detail }),
  );
  const count = (e: Parameters<Telemetry['count']>[0], reason?: string) => telemetry.count(e, reason);

  const onChanges = (conversationId: string, changes: StoreChange[]) => {
    for (const c of changes) emit({ type: 'message', conversationId, change: c.change, message: c.message });
  };

  const fetchSync = (req: { since: Record<string, number>; cursor?: string }): Promise<SyncResult> =>
    conn.usable()
      ? conn.call<SyncResult>('sync', req, timing.requestTimeoutMs)
      : rest.api.sync(req, timing.requestTimeoutMs);

  const receiver = new Receiver({
    me: () => userId,
    fetchSync,
    async reload(store, lastSeq) {
      const page = await rest.api.messages.history(store.conversationId, { limit: 100 });
      for (const m of page.items) store.upsertServer(m);
      store.appliedSeq = lastSeq;
      emit({ type: 'conversation.reset', conversationId: store.conversationId });
    },
    onChanges,
    onOther: (event) => emit({ type: 'conversation', event }),
    onMine: (clientMsgId) => {
      if (outbox.confirm(clientMsgId)) count('send_success');
    },
    onRemoved: (conversationId) => emit({ type: 'conversation.removed', conversationId }),
    warn,
  });

  const outbox = new Outbox({
    store: options.outboxStore ?? memoryOutboxStore(),
    timeoutMs: timing.sendTimeoutMs,
    retryBackoff: timing.sendRetry,
    maxAttempts: timing.maxSendAttempts,
    random: options.random,
    count,
    whenUsable: () => conn.whenUsable(),
    attempt(entry, timeoutMs) {
      const body = {
        clientMsgId: entry.clientMsgId,
        text: entry.text,
        ...(entry.replyToId ? { replyToId: entry.replyToId } : {}),
        ...(entry.attachments?.length ? { attachments: entry.attachments } : {}),
      };
      if (conn.usable()) {
        return conn.call<SendResult>('message.send', { conversationId: entry.conversationId, ...body }, timeoutMs);
      }
      if (conn.fallbackActive) return rest.api.messages.send(entry.conversationId, body, timeoutMs);
      return Promise.reject(new SwitchboardError('disconnected', 'no transport'));
    },
    onSent(entry, result) {
      const change = receiver.store(entry.conversationId).upsertServer(result.message);
      if (change) onChanges(entry.conversationId, [change]);
    },
    onFailed(entry) {
      const change = receiver.store(entry.conversationId).setState(entry.clientMsgId, 'failed', entry.failReason);
      if (change) onChanges(entry.conversationId, [change]);
    },
  });

  let nextHeartbeatAt = 0;
  const syncQuietly = () => receiver.sync().catch((err) => warn('sync failed', err));
  const poller = new Poller({
    intervalMs: timing.pollIntervalMs,
    jitterMs: timing.pollJitterMs,
    visible: options.environment?.visible ?? browserVisibility(),
    online: options.environment?.online ?? browserOnline(),
    random: options.random,
    poll: async () => {
      outbox.wake();
      // Without a socket the server only knows this device is alive from presence heartbeats over REST.
      if (Date.now() >= nextHeartbeatAt) {
        nextHeartbeatAt = Date.now() + 30_000;
        rest.api.presence
          .heartbeat()
          .then((ack) => {
            nextHeartbeatAt = Date.now() + ack.nextHeartbeatMs;
          })
          .catch(() => {});
      }
      await receiver.sync();
    },
  });

  const conn: Connection = new Connection({
    url: baseUrl,
    path: options.socketPath ?? '/socket.io',
    transports: options.transports ?? ['websocket'],
    connectTimeoutMs: timing.connectTimeoutMs,
    reconnect: timing.reconnect,
    failuresBeforeFallback: timing.failuresBeforeFallback,
    stallTimeoutMs: timing.stallTimeoutMs,
    tokens,
    count,
    random: options.random,
    onConnected: () => {
      void learnWho();
      outbox.wake();
      void syncQuietly();
    },
    onState: (state) => emit({ type: 'connection', state }),
    onFallback: (active) => {
      if (active && !tokens.expired) poller.start();
      else poller.stop();
      outbox.wake();
    },
  });
  const taskListeners = new Set<(task: TaskUpdatedEvent) => void>();
  forwardSocketEvents(conn.socket, receiver, emit, (task) => {
    for (const l of taskListeners) {
      try {
        l(task);
      } catch (err) {
        warn('task listener threw', err);
      }
    }
  });

  /** Over the socket when it works, else REST. */
  const either = <T>(event: keyof ClientToServerEvents, payload: unknown, viaRest: () => Promise<T>): Promise<T> =>
    conn.usable() ? conn.call<T>(event, payload, timing.requestTimeoutMs) : viaRest();
  const applyMessage = (m: Message) => {
    const change = receiver.store(m.conversationId).upsertServer(m);
    if (change) onChanges(m.conversationId, [change]);
    return m;
  };

  const typingHelper = new TypingHelper(
    (conversationId, typing) => {
      if (conn.usable())
        conn.call('message.typing', { conversationId, typing }, timing.requestTimeoutMs).catch(() => {});
    },
    { debounceMs: timing.typingDebounceMs, idleMs: timing.typingIdleMs },
  );
  const reads = new ReadMarker((conversationId, seq) =>
    either('message.read', { conversationId, seq }, () => rest.api.messages.markRead(conversationId, seq)),
  );
  const lastSend = new Map<string, { text: string; at: number; clientMsgId: string }>();

  // Who am I: the optimistic sender id, "my message came back" and read receipts depend on it.
  const learnWho = async () => {
    if (userId) return;
    try {
      userId = (await rest.api.me()).user.id;
    } catch (err) {
      warn('could not load the signed-in user; retrying on the next connect', err);
    }
  };
  const ready = (async () => {
    const restored = await outbox.restore();
    for (const e of restored) {
      const change = receiver.store(e.conversationId).addOptimistic(optimisticMessage(e, userId ?? '', e.state));
      if (change) onChanges(e.conversationId, [change]);
    }
    await learnWho();
  })();
  ready.catch((err) => warn('client start failed', err));
  conn.start();
  telemetry.start();

  return {
    api: rest.api,
    get state() {
      return conn.current;
    },
    get userId() {
      return userId;
    },
    ready,
    send(conversationId, text, opts = {}) {
      if (closed) throw new SwitchboardError('closed', 'the client was closed');
      const checked = MessageTextSchema.safeParse(text);
      if (!checked.success)
        throw new SwitchboardError('validation_failed', checked.error.issues[0]?.message ?? 'bad text');
      const store = receiver.store(conversationId);
      if (opts.clientMsgId) {
        const existing = store.get(opts.clientMsgId);
        if (existing) return existing;
      }
      const now = Date.now();
      const last = lastSend.get(conversationId);
      const files = SendMessageSchema.shape.attachments.safeParse(opts.attachments);
      if (!files.success)
        throw new SwitchboardError('validation_failed', `attachments: ${files.error.issues[0]?.message ?? 'bad ids'}`);
      // A double click sends one message; a second file with the same text is a second message.
      const plain = !opts.attachments?.length;
      if (plain && !opts.clientMsgId && last && last.text === text && now - last.at < timing.doubleSubmitMs) {
        const same = store.get(last.clientMsgId);
        if (same) return same;
      }
      const entry = {
        clientMsgId: opts.clientMsgId ?? globalThis.crypto.randomUUID(),
        conversationId,
        text,
        createdAt: now,
        ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
        ...(opts.attachments?.length ? { attachments: [...opts.attachments] } : {}),
      };
      lastSend.set(conversationId, { text, at: now, clientMsgId: entry.clientMsgId });
      const message = optimisticMessage({ ...entry }, userId ?? '', 'sending');
      const change = store.addOptimistic(message);
      if (change) onChanges(conversationId, [change]);
      outbox.enqueue(entry);
      return message;
    },
    retry(clientMsgId) {
      const entry = outbox.retry(clientMsgId);
      if (!entry) return undefined;
      const change = receiver.store(entry.conversationId).setState(clientMsgId, 'sending');
      if (change) onChanges(entry.conversationId, [change]);
      return receiver.store(entry.conversationId).get(clientMsgId);
    },
    discard(clientMsgId) {
      const entry = outbox.get(clientMsgId);
      if (!entry || !outbox.discard(clientMsgId)) return false;
      const change = receiver.store(entry.conversationId).remove(clientMsgId);
      if (change) onChanges(entry.conversationId, [change]);
      return true;
    },
    messages: (conversationId) => receiver.store(conversationId).messages(),
    pending: (conversationId) => outbox.pending(conversationId),
    edit: async (messageId, text) =>
      applyMessage(await either('message.edit', { messageId, text }, () => rest.api.messages.edit(messageId, text))),
    delete: async (messageId) =>
      applyMessage(await either('message.delete', { messageId }, () => rest.api.messages.delete(messageId))),
    react: async (messageId, emoji, on = true) =>
      applyMessage(
        await either('message.react', { messageId, emoji, on }, () => rest.api.messages.react(messageId, emoji, on)),
      ),
    markRead(conversationId, seq) {
      // Read positions count conversation events (edits, joins), so the default is the last applied seq.
      const target = seq ?? receiver.store(conversationId).appliedSeq;
      return reads.mark(conversationId, target);
    },
    typing: {
      keystroke: (conversationId) => typingHelper.keystroke(conversationId),
      stop: (conversationId) => typingHelper.stop(conversationId),
    },
    presence: {
      setStatus: (status) => {
        if (!conn.usable()) return Promise.reject(new SwitchboardError('disconnected', 'status needs the socket'));
        return conn.call<UserPresence>('status:update', { status }, timing.requestTimeoutMs);
      },
      list: async () =>
        conn.usable()
          ? (await conn.call<OnlineUsers>('online:list', {}, timing.requestTimeoutMs)).users
          : (await rest.api.presence.list({ limit: 100 })).items,
      get: (targetUserId) => either('status:query', { targetUserId }, () => rest.api.presence.get(targetUserId)),
    },
    tasks: {
      ...rest.api.tasks,
      subscribe: (handler) => {
        taskListeners.add(handler);
        return () => taskListeners.delete(handler);
      },
    },
    subscribe: (name, handler) => subs.subscribe(name, handler),
    unsubscribe: (name) => subs.unsubscribe(name),
    sync: () => receiver.sync(),
    telemetry,
    internals: { connection: conn, poller, receiver, outbox },
    close() {
      if (closed) return;
      closed = true;
      outbox.close();
      poller.close();
      conn.close();
      tokens.close();
      telemetry.stop();
    },
  };
}
