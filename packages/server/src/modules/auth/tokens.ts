import { RoleSchema } from '@switchboard/protocol';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
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
  const cache = verifiedTokens(platform);
  const hit = cache.get(token);
  if (hit) {
    if (platform.clock.now() < hit.expiresAt + CLOCK_TOLERANCE_S * 1000) return hit;
    cache.delete(token);
  }
  const verified = await verifyUncached(platform, token);
  cache.set(token, verified);
  if (cache.size > VERIFIED_MAX) cache.delete(cache.keys().next().value as string);
  return verified;
}

/**
 * Tokens whose signature and claims were already checked, by their exact text (any change is a miss), kept
 * until they expire: HMAC through WebCrypto was 5% of the server's CPU per REST call. Per platform, as
 * each has its own key and issuer; the oldest entries go first past `VERIFIED_MAX`.
 */
const VERIFIED = new WeakMap<Platform, Map<string, VerifiedToken>>();
const VERIFIED_MAX = 10_000;

function verifiedTokens(platform: Platform): Map<string, VerifiedToken> {
  let cache = VERIFIED.get(platform);
  if (!cache) {
    cache = new Map();
    VERIFIED.set(platform, cache);
  }
  return cache;
}

async function verifyUncached(platform: Platform, token: string): Promise<VerifiedToken> {
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
