import type {
  AnswerStreamEvent,
  Approval,
  ClientMonitoringEvent,
  ClientTelemetryEvent,
  ConversationEvent,
  ConversationLabelsEvent,
  ConversationStatusEvent,
  DashboardUpdatedEvent,
  ReadReceipt,
  ReadState,
  SupportNote,
  TaskUpdatedEvent,
  TypingEvent,
  UserPresence,
} from '@switchboard/protocol';
import type { AuthProvider } from './auth.js';
import { type BackoffOptions, RECONNECT_BACKOFF } from './backoff.js';
import type { ConnectionState } from './connection.js';
import type { ChatMessage } from './conversation-store.js';
import type { OutboxStore } from './outbox-store.js';
import type { Signal } from './signals.js';

/** Every timing the client uses; the defaults are the production values the issue names. */
export interface ClientTiming {
  /** One send attempt (socket ack or REST answer). */
  sendTimeoutMs: number;
  /** Between failed send attempts: exponential with jitter. */
  sendRetry: BackoffOptions;
  /** Attempts (timeouts and server errors; lost connections do not count) before a message is `failed`. */
  maxSendAttempts: number;
  /** Socket reconnects: exponential, full jitter. */
  reconnect: BackoffOptions;
  connectTimeoutMs: number;
  /** Failed connection attempts in a row before HTTP polling starts. */
  failuresBeforeFallback: number;
  /** Without a working socket (none, or one that delivers nothing) this long, HTTP polling starts. */
  stallTimeoutMs: number;
  pollIntervalMs: number;
  pollJitterMs: number;
  /** REST calls other than sends. */
  requestTimeoutMs: number;
  /** Refresh the access token this long before it expires (at most half its lifetime). */
  refreshMarginMs: number;
  /** Telemetry batches; 0 turns periodic reports off (`client.telemetry.flush()` still works). */
  telemetryIntervalMs: number;
  typingDebounceMs: number;
  typingIdleMs: number;
  /** The same text sent again to the same conversation within this window is the same message (double click). */
  doubleSubmitMs: number;
}

export const DEFAULT_TIMING: ClientTiming = {
  sendTimeoutMs: 10_000,
  sendRetry: { baseMs: 500, capMs: 10_000 },
  maxSendAttempts: 8,
  reconnect: RECONNECT_BACKOFF,
  connectTimeoutMs: 5_000,
  failuresBeforeFallback: 3,
  stallTimeoutMs: 10_000,
  pollIntervalMs: 3_000,
  pollJitterMs: 400,
  requestTimeoutMs: 10_000,
  refreshMarginMs: 60_000,
  telemetryIntervalMs: 30_000,
  typingDebounceMs: 1_000,
  typingIdleMs: 3_000,
  doubleSubmitMs: 1_000,
};

export interface ClientOptions {
  /** The server's base URL, e.g. `https://chat.example.com`. */
  url: string;
  /** Where access tokens come from: `sessionAuth(tokens)`, `loginAuth({ email, password })`, or your own. */
  auth: AuthProvider;
  /** The signed-in user's id when already known (saves a `GET /api/v1/auth/me`). */
  userId?: string;
  /** Where unsent messages survive a reload. Default: in memory (pass `indexedDbOutboxStore()` in browsers). */
  outboxStore?: OutboxStore;
  /** Page visibility and network signals. Default: the browser's, or always-on in Node. */
  environment?: { visible?: Signal; online?: Signal };
  timing?: Partial<ClientTiming>;
  socketPath?: string;
  /** Default `['websocket']` (see docs/sdk.md: the HTTP fallback replaces Engine.IO long-polling). */
  transports?: ('websocket' | 'polling')[];
  fetch?: typeof fetch;
  /** Where warnings go (malformed payloads, failed background work). Default `console.warn`. */
  warn?: (message: string, payload?: unknown) => void;
  random?: () => number;
}

/** What `subscribe` handlers receive. */
export type ClientEvent =
  | { type: 'message'; conversationId: string; change: 'added' | 'updated' | 'removed'; message: ChatMessage }
  | { type: 'conversation'; event: ConversationEvent }
  | { type: 'conversation.removed'; conversationId: string }
  | { type: 'conversation.reset'; conversationId: string }
  | { type: 'read.receipt'; receipt: ReadReceipt }
  | { type: 'read.state'; state: ReadState }
  | { type: 'typing'; event: TypingEvent }
  | { type: 'presence'; presence: UserPresence }
  | { type: 'presence.list'; users: UserPresence[] }
  | { type: 'connection'; state: ConnectionState }
  | { type: 'auth.expired'; code: string }
  /** A reliability event counted for telemetry; `detail` carries its timestamp, client session and reason. */
  | { type: 'telemetry'; event: ClientTelemetryEvent; detail: ClientMonitoringEvent }
  /** `conversation.status` of a support conversation (customers: their own; staff: the org's). */
  | { type: 'support.status'; event: ConversationStatusEvent }
  /**
   * An AI answer being written in a support conversation (`state: 'writing'`, the whole text so far), or taken
   * back (`'discarded'`); the stored message that follows replaces the preview.
   */
  | { type: 'support.answer_stream'; event: AnswerStreamEvent }
  /** Staff: a private note or AI summary was added to a support conversation of my org. */
  | { type: 'support.note'; note: SupportNote }
  /** Staff: the labels of a support conversation of my org changed. */
  | { type: 'support.labels'; event: ConversationLabelsEvent }
  /** Staff: an approval item was queued or changed (claimed, decided, escalated, superseded). */
  | { type: 'approval'; change: 'created' | 'updated'; approval: Approval }
  /** Supervisors and admins: a dashboard KPI changed (throttled to about once a second); refetch. */
  | { type: 'dashboard.updated'; event: DashboardUpdatedEvent }
  /** A task of mine (admins: of my org) changed state or progress. */
  | { type: 'task'; task: TaskUpdatedEvent };
