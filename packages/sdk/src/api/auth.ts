import { type ChangePasswordRequest, authRouteDefs as defs } from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

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
  me: () => callRoute(call, defs.me),
  /** Ends this session on the server (its sockets are disconnected). */
  logout: async (): Promise<void> => {
    await callRoute(call, defs.logout);
  },
  /** Every session of mine ends; the answer is a new one (use its tokens from now on). */
  changePassword: (body: ChangePasswordRequest) => callRoute(call, defs.changePassword, { body }),
});
