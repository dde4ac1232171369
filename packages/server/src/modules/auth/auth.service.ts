import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type AcceptInviteRequest,
  AcceptInviteRequestSchema,
  type ChangePasswordRequest,
  ChangePasswordRequestSchema,
  type LoginRequest,
  LoginRequestSchema,
  type LoginResponse,
  type Me,
  type Tokens,
  type WidgetSessionRequest,
  WidgetSessionRequestSchema,
  type WidgetSessionResponse,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import type { RateRule } from '../../platform/rate-limit.js';
import { orgsService } from '../orgs/orgs.service.js';
import { hashPassword, verifyPassword } from '../users/password.js';
import { toUser, type UserRow, usersService } from '../users/users.service.js';
import type { SessionRow } from './sessions.repo.js';
import { sessionsService, sha256 } from './sessions.service.js';
import { signAccessToken } from './tokens.js';

/**
 * Login throttling, so a stranger cannot lock the owner out: failures count per account *and* client
 * address pair — 5 a minute, then 429 until the window slides; 50 a day lock that pair for the rest of the
 * day (fewer than 100 guesses) while the owner, from their own address, still gets in. Across all addresses
 * an account allows 100 failures an hour (a distributed guesser waits at most the hour out). Per client
 * address: 20 failures a minute, 200 an hour, against password spraying over many accounts. A success
 * clears the pair's counters.
 */
export const LOGIN_RULES = {
  pair: { limit: 5, windowMs: 60_000 },
  pairDaily: { limit: 50, windowMs: 24 * 3_600_000 },
  accountHourly: { limit: 100, windowMs: 3_600_000 },
  ip: { limit: 20, windowMs: 60_000 },
  ipHourly: { limit: 200, windowMs: 3_600_000 },
} as const satisfies Record<string, RateRule>;

/** New widget sessions per client IP, so a script cannot mint customers without bound. */
export const WIDGET_SESSION_RULE: RateRule = { limit: 30, windowMs: 60_000 };

/** Verified against when no account matches, so a missing account takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;

function rateLimited(retryAfterMs: number, message = 'Too many attempts'): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('rate_limited', `${message}; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

function signatureMatches(secret: string, userId: string, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(userId).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function authService(platform: Platform) {
  const sessions = sessionsService(platform);
  const users = usersService(platform);
  const orgs = orgsService(platform);
  const limiter = platform.rateLimiter;

  async function tokensFor(user: UserRow, session: SessionRow, refreshToken: string): Promise<Tokens> {
    const actor: Actor = {
      userId: user.id,
      orgId: user.orgId,
      role: user.role,
      sessionId: session.id,
      kind: session.kind,
    };
    const accessTokenExpiresAt = Math.min(platform.clock.now() + platform.config.accessTokenTtlMs, session.expiresAt);
    return {
      tokenType: 'Bearer',
      accessToken: await signAccessToken(platform, actor, accessTokenExpiresAt),
      accessTokenExpiresAt,
      refreshToken,
      sessionExpiresAt: session.expiresAt,
      sessionId: session.id,
    };
  }

  async function signIn(user: UserRow): Promise<LoginResponse> {
    const { session, refreshToken } = await sessions.create({
      orgId: user.orgId,
      userId: user.id,
      kind: user.kind,
      role: user.role,
    });
    return {
      ...(await tokensFor(user, session, refreshToken)),
      user: toUser(user),
      org: await orgs.get(user.orgId),
    };
  }

  async function throttle(keys: [string, RateRule][], message?: string) {
    let wait = 0;
    for (const [key, rule] of keys) {
      const v = await limiter.check(key, rule);
      if (v.limited) wait = Math.max(wait, v.retryAfterMs);
    }
    if (wait > 0) throw rateLimited(wait, message);
  }

  return {
    async login(input: LoginRequest, ip: string): Promise<LoginResponse> {
      const { email, password, org: slug } = LoginRequestSchema.parse(input);
      const pairKeys: [string, RateRule][] = [
        [`login:pair:${email}:${ip}`, LOGIN_RULES.pair],
        [`login:pair-day:${email}:${ip}`, LOGIN_RULES.pairDaily],
      ];
      const accountKeys: [string, RateRule][] = [[`login:acct-hour:${email}`, LOGIN_RULES.accountHourly]];
      const ipKeys: [string, RateRule][] = [
        [`login:ip:${ip}`, LOGIN_RULES.ip],
        [`login:ip-hour:${ip}`, LOGIN_RULES.ipHourly],
      ];
      await throttle(
        [...pairKeys, ...accountKeys, ...ipKeys],
        'Too many failed sign-ins for this account from your network (other devices are not affected)',
      );

      const orgId = slug ? (await orgs.getBySlug(slug).catch(() => undefined))?.id : undefined;
      const candidates = slug && !orgId ? [] : await users.loginCandidates(email, orgId);
      const withPassword = candidates.filter((u) => u.passwordHash !== null).slice(0, 5);
      // Try the password on each account with this email: no need to reveal which orgs it belongs to.
      const matches: UserRow[] = [];
      for (const u of withPassword) {
        if (await verifyPassword(u.passwordHash ?? '', password)) matches.push(u);
      }
      if (withPassword.length === 0) {
        dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
        await verifyPassword(await dummyHash, password);
      }
      if (matches.length === 0) {
        for (const [key, rule] of [...pairKeys, ...accountKeys, ...ipKeys]) await limiter.hit(key, rule);
        throw new AppError('invalid_credentials');
      }
      if (matches.length > 1) {
        throw new AppError('validation_failed', 'This account exists in several organizations: name one in `org`', {
          errors: [{ path: 'body.org', message: 'required for this account' }],
        });
      }
      for (const [key] of pairKeys) await limiter.reset(key);
      const user = matches[0] as UserRow;
      if (user.active !== 1) throw new AppError('forbidden', 'This account is deactivated');
      return signIn(user);
    },

    /** New access and refresh tokens for a live session; the old refresh token stops working. */
    async refresh(refreshToken: string): Promise<Tokens> {
      const { session, refreshToken: next } = await sessions.rotate(refreshToken);
      const user = await users.rowById(session.orgId, session.userId);
      if (user?.active !== 1) {
        await sessions.revoke(session.id, 'deactivated');
        throw new AppError('session_revoked');
      }
      return tokensFor(user, session, next);
    },

    async logout(actor: Actor): Promise<void> {
      await sessions.revoke(actor.sessionId, 'logout');
    },

    async me(actor: Actor): Promise<Me> {
      const [user, org, session] = await Promise.all([
        users.get(actor.orgId, actor.userId),
        orgs.get(actor.orgId),
        sessions.get(actor.sessionId),
      ]);
      if (!session) throw new AppError('session_revoked');
      return { user, org, session: { id: session.id, kind: session.kind, expiresAt: session.expiresAt } };
    },

    async acceptInvite(input: AcceptInviteRequest): Promise<LoginResponse> {
      const { token, password, displayName } = AcceptInviteRequestSchema.parse(input);
      return signIn(await users.acceptInvite(token, password, displayName));
    },

    /** Every session of the user ends (their sockets close); the answer is a fresh session. */
    async changePassword(actor: Actor, input: ChangePasswordRequest): Promise<LoginResponse> {
      const { currentPassword, newPassword } = ChangePasswordRequestSchema.parse(input);
      const user = await users.changePassword(actor, currentPassword, newPassword);
      return signIn(user);
    },

    /**
     * A customer session from the chat widget: anonymous (resumed with the visitor id the first call
     * returned) or bound to the site's user id when its HMAC signature verifies.
     */
    async widgetSession(input: WidgetSessionRequest, ip: string): Promise<WidgetSessionResponse> {
      const req = WidgetSessionRequestSchema.parse(input);
      const ipKey = `widget:ip:${ip}`;
      await throttle([[ipKey, WIDGET_SESSION_RULE]]);
      await limiter.hit(ipKey, WIDGET_SESSION_RULE);
      const found = await orgs.byWidgetKey(req.widgetKey);
      if (!found) throw new AppError('not_found', 'Unknown widget key');
      let user: UserRow;
      let visitorId: string | undefined;
      if (req.identity) {
        if (!signatureMatches(found.secret, req.identity.userId, req.identity.signature)) {
          throw new AppError('invalid_credentials', 'The identity signature does not match');
        }
        user = await users.identifiedVisitor(found.org.id, req.identity.userId, req.displayName);
      } else {
        // An unknown visitor id is never adopted: ids are minted here, so they stay unguessable.
        const known = req.visitorId ? await users.findVisitor(found.org.id, sha256(req.visitorId)) : undefined;
        if (known && req.visitorId) {
          user = known;
          visitorId = req.visitorId;
        } else {
          visitorId = randomBytes(24).toString('base64url');
          user = await users.createVisitor(found.org.id, sha256(visitorId), req.displayName);
        }
      }
      if (user.active !== 1) throw new AppError('forbidden', 'This visitor is blocked');
      const { session, refreshToken } = await sessions.create({
        orgId: user.orgId,
        userId: user.id,
        kind: 'visitor',
        role: user.role,
      });
      return {
        ...(await tokensFor(user, session, refreshToken)),
        user: toUser(user),
        ...(visitorId ? { visitorId } : {}),
        ...(req.identity ? { identityUserId: req.identity.userId } : {}),
      };
    },
  };
}
export type AuthService = ReturnType<typeof authService>;
