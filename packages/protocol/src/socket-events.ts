import type { z } from 'zod';
import type { SessionEnded, SocketAuthRefreshAckSchema, SocketAuthRefreshSchema } from './auth.js';
import type {
  AnswerStreamEvent,
  Approval,
  ConversationStatusEvent,
  HandoffParamsSchema,
  SupportStatus,
} from './contact-center.js';
import type { DashboardUpdatedEvent } from './dashboard.js';
import type { Ack } from './errors.js';
import type { FileMeta } from './files.js';
import type { ConversationLabelsEvent } from './labels.js';
import type { MessengerClientToServer, MessengerServerToClient } from './messenger-events.js';
import type { PresenceClientToServer, PresenceServerToClient } from './presence.js';
import type { SupportNote } from './support-notes.js';
import type { TaskUpdatedEvent } from './tasks.js';

/**
 * Every server → client Socket.IO event of every domain, with its payload: the one map the server's
 * `io.emit` and the SDK's `socket.on` are both typed with, so an event's name or shape cannot drift.
 *
 * @example
 * ```ts
 * const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token } });
 * socket.on('task.updated', (task) => render(task.progress));
 * ```
 */
export interface ServerToClientEvents extends MessengerServerToClient, PresenceServerToClient {
  /** The session was revoked or the socket's token expired; the socket is disconnected right after. */
  'session.ended': (event: SessionEnded) => void;
  /** A support conversation's status, assignee or queue place changed (customer and staff). */
  'conversation.status': (event: ConversationStatusEvent) => void;
  /** An AI answer being written, streamed to the conversation before it is stored (LLM responder only). */
  'support.answer_stream': (event: AnswerStreamEvent) => void;
  /** A private note or AI summary was added to a support conversation (to the org's staff only). */
  'support.note': (note: SupportNote) => void;
  /** The labels of a support conversation changed (to the org's staff only). */
  'support.labels': (event: ConversationLabelsEvent) => void;
  /** A draft entered the approval queue (to the org's staff). */
  'approval.created': (approval: Approval) => void;
  /** An approval item was claimed, released or decided (to the org's staff). */
  'approval.updated': (approval: Approval) => void;
  /** A KPI changed: supervisors and admins refetch the dashboard (throttled per org). */
  'dashboard.updated': (event: DashboardUpdatedEvent) => void;
  /** An upload's scan or thumbnail finished (to its uploader). */
  'file.updated': (meta: FileMeta) => void;
  /** A task changed state or progress (to its owner and the org's admins). */
  'task.updated': (task: TaskUpdatedEvent) => void;
}

/**
 * Every client → server Socket.IO event of every domain: its payload and the ack it is answered with
 * (`{ ok: true, data }` or `{ ok: false, error }`).
 *
 * @example
 * ```ts
 * socket.emit('support.handoff', { conversationId }, (res) => { if (res.ok) show(res.data.status); });
 * ```
 */
export interface ClientToServerEvents extends MessengerClientToServer, PresenceClientToServer {
  /** Hand the socket a fresher access token of the same session before the current one expires. */
  'auth.refresh': (
    payload: z.input<typeof SocketAuthRefreshSchema>,
    ack: (res: Ack<z.output<typeof SocketAuthRefreshAckSchema>>) => void,
  ) => void;
  /** The customer (or staff) asks for a person in a support conversation. */
  'support.handoff': (
    payload: z.input<typeof HandoffParamsSchema>,
    ack: (res: Ack<{ status: SupportStatus }>) => void,
  ) => void;
}
