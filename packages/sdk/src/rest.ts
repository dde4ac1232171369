import {
  type AddMembers,
  ClientTelemetryAcceptedSchema,
  type ClientTelemetryBatch,
  ConversationListSchema,
  ConversationSchema,
  type CreateConversation,
  CreateConversationResultSchema,
  HeartbeatAckSchema,
  HistoryPageSchema,
  type HistoryQuery,
  MessageSchema,
  OnlineStatusPageSchema,
  ReadStateSchema,
  type SendMessage,
  SendResultSchema,
  type Since,
  SyncResultSchema,
  UserPresenceSchema,
} from '@switchboard/protocol';
import type { z } from 'zod';
import { approvalsApi } from './api/approvals.js';
import { authApi } from './api/auth.js';
import { cannedApi } from './api/canned.js';
import { copilotApi } from './api/copilot.js';
import { dashboardApi } from './api/dashboard.js';
import { filesApi } from './api/files.js';
import { knowledgeApi } from './api/knowledge.js';
import { labelsApi } from './api/labels.js';
import { notificationsApi } from './api/notifications.js';
import { orgsApi } from './api/orgs.js';
import { searchApi } from './api/search.js';
import { supportApi } from './api/support.js';
import { supportHoursApi } from './api/support-hours.js';
import { tasksApi } from './api/tasks.js';
import { usersApi } from './api/users.js';
import type { TokenManager } from './auth.js';
import { REFRESHABLE, SwitchboardError } from './errors.js';
import { type HttpContext, type Query, queryString as qs, requestJson } from './http.js';

export type { Query } from './http.js';

/** Options of one REST call: JSON body, query string, per-call timeout. */
export interface CallOptions {
  body?: unknown;
  query?: Query;
  timeoutMs?: number;
}

/**
 * One authenticated, validated REST call, as each domain's API file (`api/<domain>.ts`) receives it:
 * `export const filesApi = (call: RestCall) => ({ get: (id: string) => call('GET', `/api/v1/files/${id}`, FileSchema) })`.
 */
export type RestCall = <S extends z.ZodType>(
  method: string,
  path: string,
  schema: S | null,
  opts?: CallOptions,
) => Promise<z.output<S>>;

/** `since` as the REST query carries it: `conversationId:seq,…`. */
export function sinceParam(since: Since | undefined): string | undefined {
  if (!since) return undefined;
  const parts = Object.entries(since).map(([id, seq]) => `${id}:${seq}`);
  return parts.length ? parts.join(',') : undefined;
}

/**
 * The typed REST client: bearer token from the token manager (refreshed once and retried on a 401), a
 * timeout on every call, and the answer validated with its protocol schema.
 *
 * @example
 * ```ts
 * const rest = new RestClient({ baseUrl, fetch, timeoutMs: 10_000 }, tokens);
 * const { items } = await rest.api.conversations.list();
 * ```
 */
export class RestClient {
  constructor(
    private readonly http: HttpContext,
    private readonly tokens: TokenManager,
  ) {}

  /** One authenticated call; `schema` validates the answer. */
  async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    opts: CallOptions = {},
  ): Promise<z.output<S>> {
    const url = `${path}${qs(opts.query)}`;
    let body: unknown;
    try {
      body = await requestJson(this.http, method, url, { ...opts, token: await this.tokens.token() });
    } catch (err) {
      if (!(err instanceof SwitchboardError) || !REFRESHABLE.has(err.code)) throw err;
      body = await requestJson(this.http, method, url, { ...opts, token: await this.tokens.refresh() });
    }
    if (!schema) return body as z.output<S>;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new SwitchboardError('invalid_response', `${method} ${path}: ${parsed.error.message.slice(0, 300)}`);
    }
    return parsed.data;
  }

  /** The HTTP context and tokens, for the calls whose body or answer is not JSON (files, CSV). */
  private readonly binaryAccess = {
    http: () => this.http,
    token: () => this.tokens.token(),
    refresh: () => this.tokens.refresh(),
  };

  /** `call` bound to this client, for the domain API files. */
  private readonly bound: RestCall = (method, path, schema, opts) => this.call(method, path, schema, opts);

  /** Every REST endpoint the SDK speaks, typed from the protocol package; one line per domain file in `api/`. */
  readonly api = {
    me: authApi(this.bound).me,
    support: supportApi(this.bound),
    canned: cannedApi(this.bound),
    labels: labelsApi(this.bound),
    search: searchApi(this.bound),
    supportHours: supportHoursApi(this.bound),
    approvals: approvalsApi(this.bound),
    copilot: copilotApi(this.bound),
    tasks: tasksApi(this.bound),
    auth: authApi(this.bound),
    users: usersApi(this.bound),
    knowledge: knowledgeApi(this.bound),
    dashboard: dashboardApi(this.bound, this.binaryAccess),
    notifications: notificationsApi(this.bound),
    orgs: orgsApi(this.bound),
    files: filesApi(this.bound, this.binaryAccess),
    conversations: {
      /** My conversations, newest activity first; `scope: 'messenger'` leaves out support conversations. */
      list: (query: { limit?: number; cursor?: string; scope?: 'all' | 'messenger' | 'support' } = {}) =>
        this.call('GET', '/api/v1/conversations', ConversationListSchema, { query }),
      get: (id: string) => this.call('GET', `/api/v1/conversations/${id}`, ConversationSchema),
      create: (body: CreateConversation) =>
        this.call('POST', '/api/v1/conversations', CreateConversationResultSchema, { body }),
      rename: (id: string, name: string) =>
        this.call('PATCH', `/api/v1/conversations/${id}`, ConversationSchema, { body: { name } }),
      addMembers: (id: string, body: AddMembers) =>
        this.call('POST', `/api/v1/conversations/${id}/members`, ConversationSchema, { body }),
      /**
       * Leave a group or support conversation (`DELETE /api/v1/conversations/{id}`, the same call as
       * `POST …/leave`). Example: `await client.api.conversations.leave(conversationId)`.
       */
      leave: (id: string) => this.call('DELETE', `/api/v1/conversations/${id}`, null),
    },
    messages: {
      history: (conversationId: string, query: Partial<HistoryQuery> = {}) =>
        this.call('GET', `/api/v1/conversations/${conversationId}/messages`, HistoryPageSchema, { query }),
      send: (conversationId: string, body: SendMessage, timeoutMs?: number) =>
        this.call('POST', `/api/v1/conversations/${conversationId}/messages`, SendResultSchema, { body, timeoutMs }),
      get: (id: string) => this.call('GET', `/api/v1/messages/${id}`, MessageSchema),
      edit: (id: string, text: string) =>
        this.call('PATCH', `/api/v1/messages/${id}`, MessageSchema, { body: { text } }),
      delete: (id: string) => this.call('DELETE', `/api/v1/messages/${id}`, MessageSchema),
      react: (id: string, emoji: string, on = true) =>
        this.call('POST', `/api/v1/messages/${id}/reactions`, MessageSchema, { body: { emoji, on } }),
      markRead: (conversationId: string, seq: number) =>
        this.call('POST', `/api/v1/conversations/${conversationId}/read`, ReadStateSchema, { body: { seq } }),
    },
    sync: (req: { cursor?: string; since?: Since; limit?: number }, timeoutMs?: number) =>
      this.call('GET', '/api/v1/sync', SyncResultSchema, {
        query: { cursor: req.cursor, since: sinceParam(req.since), limit: req.limit },
        timeoutMs,
      }),
    presence: {
      list: (query: { limit?: number; cursor?: string } = {}) =>
        this.call('GET', '/api/v1/online-status', OnlineStatusPageSchema, { query }),
      get: (userId: string) => this.call('GET', `/api/v1/online-status/${userId}`, UserPresenceSchema),
      heartbeat: (active?: boolean) =>
        this.call('POST', '/api/v1/online-status/heartbeat', HeartbeatAckSchema, {
          body: active === undefined ? {} : { active },
        }),
    },
    telemetry: (batch: ClientTelemetryBatch) =>
      this.call('POST', '/api/v1/telemetry', ClientTelemetryAcceptedSchema, { body: batch }),
  };
}
