import {
  type AcceptInviteRequest,
  authRouteDefs,
  type LoginRequest,
  type LoginResponse,
  LoginResponseSchema,
} from '@switchboard/protocol';
import { SwitchboardError } from './errors.js';
import { type HttpContext, postJson } from './http.js';

/** Where to sign in: the server's URL, and optionally the fetch and timeout to use (defaults: global, 10 s). */
export interface SignInTarget {
  url: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The HTTP context of a call made without a session (sign-in, invite, an email's unsubscribe link). */
export function contextOf(target: SignInTarget): HttpContext {
  return {
    baseUrl: target.url.replace(/\/$/, ''),
    fetch: target.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs: target.timeoutMs ?? 10_000,
  };
}

async function loginCall(target: SignInTarget, path: string, body: unknown): Promise<LoginResponse> {
  const parsed = LoginResponseSchema.safeParse(await postJson(contextOf(target), path, body));
  if (!parsed.success) throw new SwitchboardError('invalid_response', `POST ${path}: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Signs in with email and password (`POST /api/v1/auth/login`) and answers the tokens with the user and org,
 * for apps that show who signed in before opening a client. Wrong credentials reject with a `SwitchboardError`
 * whose `code` is `invalid_credentials` (or `too_many_attempts` when throttled).
 *
 * @example
 * ```ts
 * const login = await signIn({ url: 'https://chat.example.com' }, { email, password });
 * const { user, org, ...tokens } = login;
 * const client = createClient({ url: 'https://chat.example.com', auth: sessionAuth(tokens), userId: user.id });
 * ```
 */
export function signIn(target: SignInTarget, credentials: LoginRequest): Promise<LoginResponse> {
  return loginCall(target, authRouteDefs.login.path, credentials);
}

/**
 * Sets the password of an invited account with the invite token an admin received, and signs in
 * (`POST /api/v1/auth/accept-invite`).
 *
 * @example
 * ```ts
 * const login = await acceptInvite({ url }, { token: inviteToken, password: 'a long new password' });
 * ```
 */
export function acceptInvite(target: SignInTarget, request: AcceptInviteRequest): Promise<LoginResponse> {
  return loginCall(target, authRouteDefs.acceptInvite.path, request);
}
