import type { z } from 'zod';
import { approvalsApi } from './api/approvals.js';
import { authApi } from './api/auth.js';
import { cannedApi } from './api/canned.js';
import { conversationsApi } from './api/conversations.js';
import { copilotApi } from './api/copilot.js';
import { dashboardApi } from './api/dashboard.js';
import { filesApi } from './api/files.js';
import { knowledgeApi } from './api/knowledge.js';
import { labelsApi } from './api/labels.js';
import { messagesApi, syncApi } from './api/messages.js';
import { notificationsApi } from './api/notifications.js';
import { orgsApi } from './api/orgs.js';
import { presenceApi } from './api/presence.js';
import { searchApi } from './api/search.js';
import { supportApi } from './api/support.js';
import { supportHoursApi } from './api/support-hours.js';
import { tasksApi } from './api/tasks.js';
import { telemetryApi } from './api/telemetry.js';
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

  private readonly authCalls = authApi(this.bound);

  /** Every REST endpoint the SDK speaks, typed from the protocol package; one line per domain file in `api/`. */
  readonly api = {
    me: this.authCalls.me,
    support: supportApi(this.bound),
    canned: cannedApi(this.bound),
    labels: labelsApi(this.bound),
    search: searchApi(this.bound),
    supportHours: supportHoursApi(this.bound),
    approvals: approvalsApi(this.bound),
    copilot: copilotApi(this.bound),
    tasks: tasksApi(this.bound),
    auth: this.authCalls,
    users: usersApi(this.bound),
    knowledge: knowledgeApi(this.bound),
    dashboard: dashboardApi(this.bound, this.binaryAccess),
    notifications: notificationsApi(this.bound),
    orgs: orgsApi(this.bound),
    files: filesApi(this.bound, this.binaryAccess),
    conversations: conversationsApi(this.bound),
    messages: messagesApi(this.bound),
    sync: syncApi(this.bound),
    presence: presenceApi(this.bound),
    telemetry: telemetryApi(this.bound),
  };
}
