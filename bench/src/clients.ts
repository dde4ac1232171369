import { randomUUID } from 'node:crypto';
import type { Ack, ConversationEvent, SendResult, SyncResult } from '@switchboard/protocol';
import { io, type Socket } from 'socket.io-client';
import type { ServerProcess } from './servers.js';
import { type DeliveryTracker, unstamp } from './tracker.js';

/**
 * The people and conversations of a run, the same shape for Switchboard (ids and tokens from the setup step)
 * and the baseline (made-up ids; the handshake names the rooms, as the baseline has no auth or storage).
 */
export interface Topology {
  users: { id: string; token?: string }[];
  conversations: { id: string; members: number[]; startSeq: number }[];
}

/** A topology for `server`: the seeded one, or for the baseline the same shape with fresh ids. */
export function topologyFor(server: ServerProcess, shape: { users: number; conversations: number[][] }): Topology {
  if (server.seed) return { users: server.seed.users, conversations: server.seed.conversations };
  return {
    users: Array.from({ length: shape.users }, () => ({ id: randomUUID() })),
    conversations: shape.conversations.map((members) => ({ id: randomUUID(), members, startSeq: 0 })),
  };
}

export interface Client {
  index: number;
  socket: Socket;
  conversations: string[];
}

const CONNECT_TIMEOUT_MS = 30_000;

function authFor(top: Topology, index: number, convs: string[]): Record<string, unknown> {
  const u = top.users[index] as { id: string; token?: string };
  return u.token ? { token: u.token } : { userId: u.id, rooms: convs };
}

/** Conversation ids of each user. */
export function conversationsByUser(top: Topology): string[][] {
  const by: string[][] = top.users.map(() => []);
  for (const c of top.conversations) for (const m of c.members) by[m]?.push(c.id);
  return by;
}

/** Open one socket (WebSocket only, no automatic reconnection: the scenarios decide when to reconnect). */
export function connectOne(url: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
    auth,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('connect timeout'));
    }, CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
}

/** Which tracker counts live deliveries now: a scenario with several steps swaps it between steps. */
export interface TrackerRef {
  current: DeliveryTracker;
}

/** Live `message.new` at client `index` goes to the current tracker. */
export function listen(socket: Socket, index: number, ref: TrackerRef): void {
  socket.on('message.new', (e: ConversationEvent) => {
    ref.current.live(index, e.conversationId, e.seq, unstamp(e.message?.text), performance.now());
  });
}

/**
 * Sync from `since` until nothing is left (the SDK's resume). On Switchboard the first answer also proves the
 * server has joined the socket to its rooms (every handler waits for that), so live traffic can start.
 */
export async function resume(
  socket: Socket,
  since: Record<string, number>,
  onEvent?: (e: ConversationEvent) => void,
  limit = 500,
): Promise<number> {
  let cursor: string | undefined;
  let events = 0;
  for (let page = 0; page < 10_000; page++) {
    const ack = (await socket
      .timeout(30_000)
      .emitWithAck('sync', cursor ? { cursor, limit } : { since, limit })) as Ack<SyncResult>;
    if (!ack.ok) throw new Error(`sync failed: ${ack.error.code}`);
    for (const e of ack.data.events) onEvent?.(e);
    events += ack.data.events.length;
    cursor = ack.data.cursor;
    if (!ack.data.hasMore) return events;
  }
  throw new Error('sync did not end');
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Attempts per client before a connect counts as failed (each bounded by CONNECT_TIMEOUT_MS). */
const CONNECT_ATTEMPTS = 3;

/**
 * Connect users `indices`, attach the tracker, and wait until each is in its rooms (a resume from the
 * conversations' start seqs). A client that fails `CONNECT_ATTEMPTS` times makes the whole call fail: a
 * scenario is not measured on part of its clients. `progress` hears every 10%.
 */
export async function connectAll(
  server: ServerProcess,
  top: Topology,
  indices: readonly number[],
  tracker: TrackerRef | undefined,
  concurrency = 100,
  progress?: (line: string) => void,
): Promise<Client[]> {
  const by = conversationsByUser(top);
  const starts = new Map(top.conversations.map((c) => [c.id, c.startSeq]));
  const t0 = performance.now();
  const step = Math.max(1, Math.ceil(indices.length / 10));
  let done = 0;
  let retries = 0;
  const clients = await pool(indices, concurrency, async (index) => {
    const convs = by[index] ?? [];
    for (let attempt = 1; ; attempt++) {
      let socket: Socket | undefined;
      try {
        socket = await connectOne(server.url, authFor(top, index, convs));
        if (tracker) listen(socket, index, tracker);
        await resume(socket, Object.fromEntries(convs.map((c) => [c, starts.get(c) ?? 0])), undefined, 1);
        if (++done % step === 0 && indices.length >= 1000) {
          progress?.(
            `    ${done}/${indices.length} connected (${((performance.now() - t0) / 1000).toFixed(1)} s, ${retries} retries)`,
          );
        }
        return { index, socket, conversations: convs };
      } catch (err) {
        socket?.close();
        if (attempt >= CONNECT_ATTEMPTS) {
          throw new Error(`client ${index} could not connect after ${attempt} attempts (${done} connected): ${err}`);
        }
        retries++;
      }
    }
  });
  return clients;
}

export function authOf(top: Topology, index: number): Record<string, unknown> {
  return authFor(top, index, conversationsByUser(top)[index] ?? []);
}

/** Emit one send stamped with its scheduled time; the ack (or its failure) goes to the tracker. */
export function send(
  socket: Socket,
  conversationId: string,
  text: string,
  scheduledAt: number,
  tracker: DeliveryTracker,
  timeoutMs = 30_000,
): void {
  tracker.sent();
  socket
    .timeout(timeoutMs)
    .emit(
      'message.send',
      { conversationId, clientMsgId: randomUUID(), text },
      (err: Error | null, ack: Ack<SendResult> | undefined) => {
        if (err || !ack?.ok) tracker.ackFailed(scheduledAt, performance.now());
        else tracker.ackOk(conversationId, ack.data.message.seq, scheduledAt, performance.now());
      },
    );
}

export function closeAll(clients: readonly Client[]): void {
  for (const c of clients) c.socket.close();
}
