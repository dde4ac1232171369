import type { z } from 'zod';
import type { Conversation } from './conversations.js';
import type { Ack } from './errors.js';
import {
  type Message,
  type ReadReceipt,
  type ReadState,
  type SendResult,
  SocketDeleteMessageSchema,
  SocketEditMessageSchema,
  SocketMarkReadSchema,
  SocketReactSchema,
  SocketSendMessageSchema,
  type TypingEvent,
  TypingSchema,
} from './messages.js';
import { type ConversationEvent, SyncRequestSchema, type SyncResult } from './sync.js';

/**
 * The messenger's client → server socket events: each payload schema and what its ack carries. Every call
 * is acknowledged `{ ok: true, data }` or `{ ok: false, error: { code, message } }`.
 *
 * @example
 * ```ts
 * socket.emit('message.send', { conversationId, clientMsgId: crypto.randomUUID(), text: 'hi' },
 *   (ack: Ack<SendResult>) => { if (ack.ok) console.log(ack.data.message.seq); });
 * ```
 */
export const messengerClientEvents = {
  /** Send a message (idempotent on `clientMsgId`); the ack comes after the message is durably stored. */
  'message.send': SocketSendMessageSchema,
  /** Edit your message. Ack: the message. */
  'message.edit': SocketEditMessageSchema,
  /** Delete your message (or, as a group admin, anyone's). Ack: the tombstone. */
  'message.delete': SocketDeleteMessageSchema,
  /** Add or remove a reaction. Ack: the message. */
  'message.react': SocketReactSchema,
  /** Move your read position forward. Ack: the read state. */
  'message.read': SocketMarkReadSchema,
  /** Typing start / stop, relayed to the other members. Ack: `null`. */
  'message.typing': TypingSchema,
  /** Every kept event after a position, paged. Ack: the sync result. */
  sync: SyncRequestSchema,
} as const;

/** What each client → server messenger event's ack carries on success. */
export interface MessengerAckData {
  'message.send': SendResult;
  'message.edit': Message;
  'message.delete': Message;
  'message.react': Message;
  'message.read': ReadState;
  'message.typing': null;
  sync: SyncResult;
}

/** Client → server messenger events, typed for socket.io-client's `emit`. */
export type MessengerClientToServer = {
  [K in keyof typeof messengerClientEvents]: (
    payload: z.input<(typeof messengerClientEvents)[K]>,
    ack: (res: Ack<MessengerAckData[K]>) => void,
  ) => void;
};

/**
 * Server → client messenger events. The four conversation-event kinds carry the same `ConversationEvent`
 * that sync returns, so one code path applies live and missed events alike.
 *
 * @example
 * ```ts
 * socket.on('message.new', (e) => store.apply(e)); // e.type === 'message.created', e.message is set
 * socket.on('message.typing', ({ conversationId, userId, typing }) => …);
 * ```
 */
export interface MessengerServerToClient {
  /** A message was created (`type: 'message.created'`). */
  'message.new': (event: ConversationEvent) => void;
  /** A message was edited or its reactions changed (`message.edited`, `message.reacted`). */
  'message.updated': (event: ConversationEvent) => void;
  /** A message was deleted (`message.deleted`; the message is a tombstone). */
  'message.deleted': (event: ConversationEvent) => void;
  /** Created, renamed, status changed, member joined or left. Sent to the room, including the one who left. */
  'conversation.updated': (event: ConversationEvent & { conversation?: Conversation }) => void;
  /** Someone read your messages. */
  'message.read_receipt': (receipt: ReadReceipt) => void;
  /** Your own read position moved (another device of yours read). */
  'conversation.read': (state: ReadState) => void;
  /** Another member started or stopped typing. */
  'message.typing': (event: TypingEvent) => void;
}
