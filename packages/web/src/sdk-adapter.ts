/**
 * The few calls the SDK does not offer yet (issue 6 is in progress): sign-in that returns the user and org,
 * sign-out, and the admin users API. They go through the same token provider as the SDK client, so a token
 * refresh is shared (refresh tokens are single-use: two refreshers would end the session).
 */
import {
  type LoginResponse,
  LoginResponseSchema,
  type Role,
  type Tokens,
  type User,
  UserPageSchema,
  UserSchema,
} from '@switchboard/protocol';
import { type AuthProvider, sessionAuth } from '@switchboard/sdk';

const BASE = typeof window === 'undefined' ? '' : window.location.origin;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request(method: string, path: string, body?: unknown, token?: string): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  if (!res.ok) {
    const code = typeof json?.code === 'string' ? json.code : 'http_error';
    const detail = typeof json?.detail === 'string' ? json.detail : `HTTP ${res.status}`;
    throw new ApiError(res.status, code, detail);
  }
  return json;
}

/** `POST /api/v1/auth/login`: tokens plus who signed in. */
export async function login(email: string, password: string): Promise<LoginResponse> {
  return LoginResponseSchema.parse(await request('POST', '/api/v1/auth/login', { email, password }));
}

/** An SDK auth provider whose refresh is single-flight, so the SDK and these helpers can share it. */
export interface SharedAuth extends AuthProvider {
  /** Bearer token for a helper call; refreshes once on a 401. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export function sharedAuth(tokens: Tokens, onTokens: (t: Tokens) => void): SharedAuth {
  const inner = sessionAuth(tokens, { onTokens });
  let refreshing: Promise<string> | undefined;
  let bound = false;
  const provider: SharedAuth = {
    bind(ctx) {
      bound = true;
      inner.bind?.(ctx);
    },
    getAccessToken: () => inner.getAccessToken(),
    expiresAt: () => inner.expiresAt?.(),
    refresh() {
      if (!bound) inner.bind?.({ baseUrl: BASE, fetch: fetch.bind(globalThis), timeoutMs: 10_000 });
      refreshing ??= inner.refresh().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      try {
        return (await request(method, path, body, await provider.getAccessToken())) as T;
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 401) throw err;
        return (await request(method, path, body, await provider.refresh())) as T;
      }
    },
  };
  return provider;
}

/** `POST /api/v1/auth/logout`; failures are ignored (the local session ends anyway). */
export async function logout(auth: SharedAuth): Promise<void> {
  await auth.call('POST', '/api/v1/auth/logout', {}).catch(() => undefined);
}

/** Admin and supervisor users API (`GET/POST/PATCH /api/v1/users…`). */
export const usersApi = {
  async list(auth: SharedAuth, query: { limit?: number; cursor?: string } = {}) {
    const qs = new URLSearchParams({
      limit: String(query.limit ?? 100),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return UserPageSchema.parse(await auth.call('GET', `/api/v1/users?${qs}`));
  },
  async setRole(auth: SharedAuth, userId: string, role: Role): Promise<User> {
    return UserSchema.parse(await auth.call('PATCH', `/api/v1/users/${userId}`, { role }));
  },
};

/**
 * The contact center's built-in AI user (created per org by the assistant module): not a person to message
 * or to re-role. Recognized by its reserved mail domain until the users API marks service accounts.
 */
export const isServiceAccount = (u: Pick<User, 'email'>) => u.email.endsWith('@switchboard.invalid');
