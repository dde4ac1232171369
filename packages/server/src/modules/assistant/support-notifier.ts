import type { AnswerStreamEvent, Approval, ConversationStatusEvent } from '@switchboard/protocol';
import { rooms } from '../../rooms.js';
import type { AppServer } from '../../socket/types.js';

/**
 * How the contact center and the approval queue tell the world what changed. The services call it after a
 * write; only this file knows the transport (Socket.IO rooms), so the services import no socket.io and a
 * test can hand them a recording notifier.
 */
export interface SupportNotifier {
  /** A status change, to the conversation's room (customer and members) and the org's staff rooms. */
  status(orgId: string, event: ConversationStatusEvent): void;
  /** A queue-position refresh, to the conversation's room only (the customer's "you are number N"). */
  queuePosition(event: ConversationStatusEvent): void;
  /** An approval item, to the org's staff rooms only: a draft never reaches a customer's socket. */
  approval(orgId: string, event: 'approval.created' | 'approval.updated', approval: Approval): void;
  /** An AI answer being written (or taken back), to the conversation's room. */
  answerStream(event: AnswerStreamEvent): void;
}

/** Fan-out through Socket.IO rooms, so the adapter (memory or Redis) reaches every node. */
export function socketSupportNotifier(io: AppServer): SupportNotifier {
  return {
    status(orgId, event) {
      io.to([rooms.conversation(event.conversationId), ...rooms.staff(orgId)]).emit('conversation.status', event);
    },
    queuePosition(event) {
      io.to(rooms.conversation(event.conversationId)).emit('conversation.status', event);
    },
    approval(orgId, event, approval) {
      io.to(rooms.staff(orgId)).emit(event, approval);
    },
    answerStream(event) {
      io.to(rooms.conversation(event.conversationId)).emit('support.answer_stream', event);
    },
  };
}
