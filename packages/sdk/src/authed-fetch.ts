import { REFRESHABLE, SwitchboardError } from './errors.js';
import { type HttpContext, problemError, timedFetch } from './http.js';

/** What the non-JSON calls (upload, download, CSV export) need beyond `RestCall`: the HTTP context and the tokens. */
export interface BinaryAccess {
  http(): HttpContext;
  token(): Promise<string>;
  refresh(): Promise<string>;
}

/**
 * One authenticated fetch for a non-JSON body or answer, with the token refreshed once on a 401 and the
 * problem+json of a failure turned into a `SwitchboardError` with its `code`.
 */
export async function authedFetch(
  access: BinaryAccess,
  method: string,
  path: string,
  init: { body?: () => FormData; headers?: Record<string, string>; timeoutMs?: number },
): Promise<Response> {
  const once = async (token: string) => {
    const res = await timedFetch(access.http(), method, path, {
      headers: { ...init.headers, authorization: `Bearer ${token}` },
      body: init.body?.(),
      timeoutMs: init.timeoutMs,
    });
    if (res.ok) return res;
    throw problemError(res.status, await res.json().catch(() => ({})));
  };
  try {
    return await once(await access.token());
  } catch (err) {
    if (!(err instanceof SwitchboardError) || !REFRESHABLE.has(err.code)) throw err;
    return once(await access.refresh());
  }
}
