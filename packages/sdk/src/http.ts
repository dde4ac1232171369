import { SwitchboardError } from './errors.js';

/** The smallest HTTP needs of the SDK: a base URL, a fetch and a per-request timeout. */
export interface HttpContext {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
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
  const controller = new AbortController();
  const timeoutMs = opts.timeoutMs ?? ctx.timeoutMs;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let res: Response;
  try {
    res = await ctx.fetch(`${ctx.baseUrl}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: controller.signal,
    });
  } catch (err) {
    if (controller.signal.aborted)
      throw new SwitchboardError('timeout', `${method} ${path}: no answer in ${timeoutMs} ms`);
    throw new SwitchboardError('network', `${method} ${path}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
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
  if (!res.ok) {
    const problem = (body ?? {}) as { code?: string; detail?: string; title?: string };
    const code = (problem.code ?? (res.status >= 500 ? 'internal' : 'bad_request')) as SwitchboardError['code'];
    throw new SwitchboardError(code, problem.detail ?? problem.title ?? `HTTP ${res.status}`, {
      status: res.status,
      details: body,
    });
  }
  return body;
}

/** `POST` without authentication (login, refresh). */
export function postJson(ctx: HttpContext, path: string, body: unknown): Promise<unknown> {
  return requestJson(ctx, 'POST', path, { body });
}
