import { notificationsRouteDefs, type UnsubscribeResult, UnsubscribeResultSchema } from '@switchboard/protocol';
import { SwitchboardError } from './errors.js';
import { requestJson } from './http.js';
import { contextOf, type SignInTarget } from './sign-in.js';

/**
 * Follows an email digest's unsubscribe link without a session
 * (`GET /api/v1/notifications/unsubscribe?token=…`): email notifications are turned off for the user the
 * signed token names. A forged or damaged token rejects with a `SwitchboardError` of status 400 or 401.
 *
 * @example
 * ```ts
 * await unsubscribeEmail({ url: window.location.origin }, new URLSearchParams(location.search).get('token') ?? '');
 * ```
 */
export async function unsubscribeEmail(target: SignInTarget, token: string): Promise<UnsubscribeResult> {
  const path = `${notificationsRouteDefs.unsubscribeEmail.path}?token=${encodeURIComponent(token)}`;
  const parsed = UnsubscribeResultSchema.safeParse(await requestJson(contextOf(target), 'GET', path));
  if (!parsed.success) throw new SwitchboardError('invalid_response', `GET ${path}: ${parsed.error.message}`);
  return parsed.data;
}
