import {
  authRouteDefs,
  type WidgetSessionRequest,
  type WidgetSessionResponse,
  WidgetSessionResponseSchema,
} from '@switchboard/protocol';
import { SwitchboardError } from './errors.js';
import { postJson } from './http.js';
import type { SignInTarget } from './sign-in.js';

/**
 * Starts or resumes a customer session for the chat widget (`POST /api/v1/widget/session`): anonymous with
 * the org's public widget key (keep the returned `visitorId` and send it next time to stay the same visitor),
 * or bound to your site's user with `identity: { userId, signature }` signed on your server. An unknown key
 * rejects with `not_found`, a bad signature with `invalid_credentials`.
 *
 * @example
 * ```ts
 * const s = await widgetSession({ url }, { widgetKey, visitorId: localStorage.getItem('visitor') ?? undefined });
 * if (s.visitorId) localStorage.setItem('visitor', s.visitorId);
 * const { user, visitorId, identityUserId, ...tokens } = s;
 * const client = createClient({ url, auth: sessionAuth(tokens), userId: user.id });
 * ```
 */
export async function widgetSession(
  target: SignInTarget,
  request: WidgetSessionRequest,
): Promise<WidgetSessionResponse> {
  const ctx = {
    baseUrl: target.url.replace(/\/$/, ''),
    fetch: target.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutMs: target.timeoutMs ?? 10_000,
  };
  const parsed = WidgetSessionResponseSchema.safeParse(await postJson(ctx, authRouteDefs.widgetSession.path, request));
  if (!parsed.success) {
    throw new SwitchboardError('invalid_response', `POST ${authRouteDefs.widgetSession.path}: ${parsed.error.message}`);
  }
  return parsed.data;
}
