import { type ChangePasswordRequest, LoginResponseSchema, MeSchema } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';

/**
 * The signed-in session (`/api/v1/auth/…`): who I am, sign-out, password change. Sign-in itself is `signIn()`
 * (no token yet).
 *
 * @example
 * ```ts
 * const { user, org } = await client.api.auth.me();
 * await client.api.auth.logout(); // ends the session on the server; close the client afterwards
 * ```
 */
export const authApi = (call: RestCall) => ({
  me: () => call('GET', '/api/v1/auth/me', MeSchema),
  /** Ends this session on the server (its sockets are disconnected). */
  logout: async (): Promise<void> => {
    await call('POST', '/api/v1/auth/logout', null, { body: {} });
  },
  /** Every session of mine ends; the answer is a new one (use its tokens from now on). */
  changePassword: (body: ChangePasswordRequest) => call('POST', '/api/v1/auth/password', LoginResponseSchema, { body }),
});
