import { RoleSchema } from '@switchboard/protocol';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Actor } from '../../http/access.js';
import type { Platform } from '../../platform/platform.js';
import { jwtKey } from './keys.js';

export const JWT_AUDIENCE = 'switchboard';
const ALG = 'HS256';
/** Tolerated clock difference between nodes, in seconds. */
const CLOCK_TOLERANCE_S = 5;

const ClaimsSchema = z.object({
  sub: z.uuid(),
  org: z.uuid(),
  role: RoleSchema,
  sid: z.uuid(),
  kind: z.enum(['user', 'visitor']),
  exp: z.number(),
});

export interface VerifiedToken {
  actor: Actor;
  /** Expiry in epoch ms. */
  expiresAt: number;
}

/** The issuer every token names: this deployment's public URL. */
export function issuerOf(platform: Platform): string {
  return platform.config.publicUrl;
}

/** Sign a short-lived access token for `actor`, ending at `expiresAt` (epoch ms). */
export async function signAccessToken(platform: Platform, actor: Actor, expiresAt: number): Promise<string> {
  const nowS = Math.floor(platform.clock.now() / 1000);
  return new SignJWT({ org: actor.orgId, role: actor.role, sid: actor.sessionId, kind: actor.kind })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(actor.userId)
    .setIssuer(issuerOf(platform))
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(nowS)
    .setNotBefore(nowS)
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(jwtKey(platform.config));
}

/**
 * Check signature (HS256 only: `none` and every other algorithm are refused), issuer, audience, expiry and
 * not-before against the platform clock. Throws `token_expired` or `token_invalid`; it does not look at the
 * session — the caller checks that it is still live.
 */
export async function verifyAccessToken(platform: Platform, token: string): Promise<VerifiedToken> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, jwtKey(platform.config), {
      algorithms: [ALG],
      issuer: issuerOf(platform),
      audience: JWT_AUDIENCE,
      currentDate: new Date(platform.clock.now()),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'iat', 'sub'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new AppError('token_expired');
    throw new AppError('token_invalid');
  }
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) throw new AppError('token_invalid', 'The token lacks required claims');
  const c = claims.data;
  return {
    actor: { userId: c.sub, orgId: c.org, role: c.role, sessionId: c.sid, kind: c.kind },
    expiresAt: c.exp * 1000,
  };
}
