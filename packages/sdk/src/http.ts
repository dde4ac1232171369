import { SwitchboardError } from './errors.js';

/** The smallest HTTP needs of the SDK: a base URL, a fetch and a per-request timeout. */
export interface HttpContext {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

/**
 * `fetch` with the SDK's timeout and errors: `timeout` when no answer came in time, `network` when the
 * request could not be made. Any status is returned; see `problemError` for the failures.
 */
export async function timedFetch(
  ctx: HttpContext,
  method: string,
  path: string,
  init: { headers: Record<string, string>; body?: string | FormData | undefined; timeoutMs?: number | undefined },
): Promise<Response> {
  const controller = new AbortController();
  const timeoutMs = init.timeoutMs ?? ctx.timeoutMs;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await ctx.fetch(`${ctx.baseUrl}${path}`, {
      method,
      headers: init.headers,
      body: init.body,
      signal: controller.signal,
    });
  } catch (err) {
    if (controller.signal.aborted)
      throw new SwitchboardError('timeout', `${method} ${path}: no answer in ${timeoutMs} ms`);
    throw new SwitchboardError('network', `${method} ${path}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The `SwitchboardError` of a failed answer: the problem+json `code` and `detail` when the body has them. */
export function problemError(status: number, body: unknown): SwitchboardError {
  const problem = (body ?? {}) as { code?: string; detail?: string; title?: string };
  const code = (problem.code ?? (status >= 500 ? 'internal' : 'bad_request')) as SwitchboardError['code'];
  return new SwitchboardError(code, problem.detail ?? problem.title ?? `HTTP ${status}`, { status, details: body });
}

/**
 * One HTTP call with a timeout; answers the parsed JSON body (or `null` for 204) and throws a
 * `SwitchboardError` carrying the problem+json `code` otherwise.
 *
 * @example
 * ```ts
 * const me = await requestJson(ctx, 'GET', '/api/v1/auth/me', { token });
 * ```
 */
export async function requestJson(
  ctx: HttpContext,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; timeoutMs?: number } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await timedFetch(ctx, method, path, {
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    timeoutMs: opts.timeoutMs,
  });
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new SwitchboardError('network', `${method} ${path}: ${(err as Error).message}`);
  }
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new SwitchboardError('invalid_response', `${method} ${path}: answer is not JSON`, { status: res.status });
    }
  }
  if (!res.ok) throw problemError(res.status, body);
  return body;
}

/** `POST` without authentication (login, refresh). */
export function postJson(ctx: HttpContext, path: string, body: unknown): Promise<unknown> {
  return requestJson(ctx, 'POST', path, { body });
}

/** Query-string values of a REST call. */
export type Query = Record<string, string | number | undefined>;

/** `?a=1&b=2` from a query object; undefined and empty values are left out. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
