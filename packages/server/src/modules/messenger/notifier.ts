import type {
  Conversation,
  ConversationEvent,
  ConversationEventType,
  MessengerServerToClient,
  ReadReceipt,
  ReadState,
  TypingEvent,
} from '@switchboard/protocol';
import type { Server } from 'socket.io';
import { rooms } from '../../rooms.js';

/**
 * How the messenger tells the world about what it committed. The services call it only after a commit;
 * the socket implementation fans out to the rooms the server decided.
 */
export interface MessengerNotifier {
  /** A committed event, to everyone in the conversation's room (with a snapshot for creations / joins). */
  event(e: ConversationEvent, conversation?: Conversation): void;
  /** Put these users' sockets into the conversation's room. */
  join(conversationId: string, userIds: readonly string[]): void;
  /** Take these users' sockets out of the conversation's room. */
  leave(conversationId: string, userIds: readonly string[]): void;
  receipt(toUserId: string, receipt: ReadReceipt): void;
  readState(userId: string, state: ReadState): void;
  /** Relay typing to the conversation's room except the typist's own sockets. */
  typing(e: TypingEvent): void;
}

export const conversationRoom = rooms.conversation;
export const userRoom = rooms.user;

/** The realtime event that carries a conversation event of this type. */
export function realtimeEventName(type: ConversationEventType): keyof MessengerServerToClient {
  switch (type) {
    case 'message.created':
      return 'message.new';
    case 'message.edited':
    case 'message.reacted':
      return 'message.updated';
    case 'message.deleted':
      return 'message.deleted';
    default:
      return 'conversation.updated';
  }
}

/** Fan-out through Socket.IO: rooms, so the adapter (memory or Redis) reaches every node. */
export function socketNotifier(io: Server): MessengerNotifier {
  return {
    event(e, conversation) {
      io.to(conversationRoom(e.conversationId)).emit(
        realtimeEventName(e.type),
        conversation ? { ...e, conversation } : e,
      );
    },
    join(conversationId, userIds) {
      if (userIds.length) io.in(userIds.map(userRoom)).socketsJoin(conversationRoom(conversationId));
    },
    leave(conversationId, userIds) {
      if (userIds.length) io.in(userIds.map(userRoom)).socketsLeave(conversationRoom(conversationId));
    },
    receipt(toUserId, receipt) {
      io.to(userRoom(toUserId)).emit('message.read_receipt', receipt);
    },
    readState(userId, state) {
      io.to(userRoom(userId)).emit('conversation.read', state);
    },
    typing(e) {
      io.to(conversationRoom(e.conversationId)).except(userRoom(e.userId)).emit('message.typing', e);
    },
  };
}

/** A notifier that records calls, for service tests. */
export function recordingNotifier() {
  const calls: { kind: keyof MessengerNotifier; args: unknown[] }[] = [];
  const record =
    (kind: keyof MessengerNotifier) =>
    (...args: unknown[]) => {
      calls.push({ kind, args });
    };
  const notifier: MessengerNotifier = {
    event: record('event'),
    join: record('join'),
    leave: record('leave'),
    receipt: record('receipt'),
    readState: record('readState'),
    typing: record('typing'),
  };
  return { notifier, calls };
}
