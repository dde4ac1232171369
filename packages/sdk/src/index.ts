/**
 * The Switchboard client SDK (browser and Node): REST and Socket.IO typed from `@switchboard/protocol`,
 * reliable sending, resume, HTTP fallback, token refresh and client telemetry. Start with `createClient`.
 */

export type { TasksApi } from './api/tasks.js';
export { type AuthContext, type AuthProvider, loginAuth, sessionAuth, TokenManager } from './auth.js';
export { type BackoffOptions, equalJitter, fullJitter, jittered, RECONNECT_BACKOFF } from './backoff.js';
export { createClient, type SendOptions, type SwitchboardClient } from './client.js';
export type { ConnectionState } from './connection.js';
export { type ChatMessage, ConversationStore, type MessageState, type StoreChange } from './conversation-store.js';
export { type ClientErrorCode, SwitchboardError } from './errors.js';
export { ReadMarker, TypingHelper } from './helpers.js';
export { type IDBFactory, indexedDbOutboxStore } from './indexeddb-store.js';
export { type ClientEvent, type ClientOptions, type ClientTiming, DEFAULT_TIMING } from './options.js';
export { memoryOutboxStore, type OutboxEntry, type OutboxStore } from './outbox-store.js';
export { type CallOptions, type Query, type RestCall, RestClient } from './rest.js';
export { acceptInvite, type SignInTarget, signIn } from './sign-in.js';
export { alwaysOn, browserOnline, browserVisibility, manualSignal, type Signal } from './signals.js';
export { SDK_VERSION } from './telemetry.js';
export { unsubscribeEmail } from './unsubscribe.js';
export { widgetSession } from './widget-session.js';
