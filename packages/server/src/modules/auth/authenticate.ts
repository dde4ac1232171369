import type { Platform } from '../../platform/platform.js';
import { sessionsService } from './sessions.service.js';
import { type VerifiedToken, verifyAccessToken } from './tokens.js';

/**
 * The one check every transport runs on an access token: signature and claims, then the session must still
 * be live (not revoked, not idle, not past its lifetime). Throws `token_invalid`, `token_expired` or
 * `session_revoked`.
 */
export async function authenticate(platform: Platform, token: string): Promise<VerifiedToken> {
  const verified = await verifyAccessToken(platform, token);
  await sessionsService(platform).requireLive(verified.actor);
  return verified;
}

/** The token of an `Authorization: Bearer …` header, if there is one. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}
