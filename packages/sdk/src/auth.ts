import {
  authRouteDefs,
  type LoginRequest,
  LoginResponseSchema,
  type Tokens,
  TokensSchema,
} from '@switchboard/protocol';
import { REFRESHABLE, SwitchboardError, toSwitchboardError } from './errors.js';
import { postJson } from './http.js';

/** What a token provider may use: the server's base URL and the client's fetch. */
export interface AuthContext {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

/**
 * Where the client gets access tokens. `getAccessToken` answers the current one (fetching it the first time),
 * `refresh` gets a new one; `expiresAt` (epoch ms) lets the client refresh ahead of expiry. A `refresh` that
 * fails with an auth error code (`session_revoked`, …) ends the session: the client emits `auth.expired`.
 */
export interface AuthProvider {
  getAccessToken(): Promise<string>;
  refresh(): Promise<string>;
  expiresAt?(): number | undefined;
  /** Called once by `createClient` with its URL and fetch. */
  bind?(ctx: AuthContext): void;
}

/**
 * A provider over a session's tokens (from login, widget session, or storage): refreshes through
 * `POST /api/v1/auth/refresh` and keeps the rotated refresh token. `onTokens` sees every new pair (store the
 * refresh token there to survive a reload).
 *
 * @example
 * ```ts
 * const auth = sessionAuth(loginResponse, { onTokens: (t) => localStorage.setItem('rt', t.refreshToken) });
 * const client = createClient({ url: 'https://chat.example.com', auth });
 * ```
 */
export function sessionAuth(tokens: Tokens, opts: { onTokens?: (tokens: Tokens) => void } = {}): AuthProvider {
  let current = tokens;
  let ctx: AuthContext | undefined;
  return {
    bind(c) {
      ctx = c;
    },
    async getAccessToken() {
      return current.accessToken;
    },
    expiresAt: () => current.accessTokenExpiresAt,
    async refresh() {
      if (!ctx) throw new SwitchboardError('closed', 'sessionAuth is not bound to a client');
      const body = await postJson(ctx, authRouteDefs.refresh.path, { refreshToken: current.refreshToken });
      current = TokensSchema.parse(body);
      opts.onTokens?.(current);
      return current.accessToken;
    },
  };
}

/**
 * A provider that signs in with email and password on first use, then behaves like `sessionAuth`.
 *
 * @example
 * ```ts
 * const client = createClient({ url, auth: loginAuth({ email: 'ada@example.com', password }) });
 * ```
 */
export function loginAuth(credentials: LoginRequest, opts: { onTokens?: (tokens: Tokens) => void } = {}): AuthProvider {
  let ctx: AuthContext | undefined;
  let session: Promise<AuthProvider> | undefined;
  const signIn = () => {
    session ??= (async () => {
      if (!ctx) throw new SwitchboardError('closed', 'loginAuth is not bound to a client');
      const login = LoginResponseSchema.parse(await postJson(ctx, authRouteDefs.login.path, credentials));
      opts.onTokens?.(login);
      const inner = sessionAuth(login, opts);
      inner.bind?.(ctx);
      return inner;
    })();
    session.catch(() => {
      session = undefined;
    });
    return session;
  };
  let inner: AuthProvider | undefined;
  return {
    bind(c) {
      ctx = c;
    },
    async getAccessToken() {
      inner = await signIn();
      return inner.getAccessToken();
    },
    expiresAt: () => inner?.expiresAt?.(),
    async refresh() {
      inner = await signIn();
      return inner.refresh();
    },
  };
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TokenManagerOptions {
  /** Refresh this long before expiry (at most half the token's lifetime). Default 60 s. */
  refreshMarginMs: number;
  onRefreshed(token: string): void;
  onExpired(reason: SwitchboardError): void;
  now?: () => number;
}

/**
 * Hands out the current token, refreshes it before it expires and on demand (single flight: refresh tokens are
 * single-use, so two parallel refreshes would revoke the session), and reports `expired` exactly once.
 *
 * @example
 * ```ts
 * const tm = new TokenManager(auth, { refreshMarginMs: 60_000, onRefreshed: pushToSocket, onExpired: signOut });
 * const token = await tm.token();
 * ```
 */
export class TokenManager {
  private inflight: Promise<string> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private obtainedAt = 0;
  private closed = false;
  expired = false;

  constructor(
    private readonly provider: AuthProvider,
    private readonly opts: TokenManagerOptions,
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  async token(): Promise<string> {
    if (this.expired) throw new SwitchboardError('session_revoked', 'the session has ended');
    if (this.inflight) return this.inflight;
    const token = await this.provider.getAccessToken();
    if (this.obtainedAt === 0) {
      this.obtainedAt = this.now();
      this.schedule();
    }
    return token;
  }

  /** Get a new token now (joins a refresh already running). Throws when the session ended. */
  refresh(): Promise<string> {
    if (this.expired) return Promise.reject(new SwitchboardError('session_revoked', 'the session has ended'));
    this.inflight ??= (async () => {
      try {
        const token = await this.provider.refresh();
        this.obtainedAt = this.now();
        this.schedule();
        this.opts.onRefreshed(token);
        return token;
      } catch (err) {
        const e = toSwitchboardError(err);
        // The network or the server's load may pass; a refused refresh token will not.
        if (!e.retryable || REFRESHABLE.has(e.code)) this.expire(e);
        else this.schedule(5_000);
        throw e;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** End the session locally: `onExpired` runs once, later calls throw. */
  expire(reason: SwitchboardError): void {
    if (this.expired || this.closed) return;
    this.expired = true;
    clearTimeout(this.timer);
    this.opts.onExpired(reason);
  }

  private schedule(retryInMs?: number): void {
    clearTimeout(this.timer);
    if (this.closed || this.expired) return;
    const expiresAt = this.provider.expiresAt?.();
    if (expiresAt === undefined) return;
    const lifetime = Math.max(0, expiresAt - this.obtainedAt);
    const due = expiresAt - Math.min(this.opts.refreshMarginMs, lifetime / 2);
    const delay = retryInMs ?? Math.max(0, due - this.now());
    // Timers take at most 2^31-1 ms (~24.8 days); a longer one fires at once, so wait in steps instead.
    if (delay > MAX_TIMER_MS) this.timer = setTimeout(() => this.schedule(), MAX_TIMER_MS);
    else this.timer = setTimeout(() => this.refresh().catch(() => {}), delay);
    (this.timer as { unref?: () => void }).unref?.();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
