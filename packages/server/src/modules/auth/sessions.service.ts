import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Role } from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { type SessionRow, sessionsRepo } from './sessions.repo.js';

/** Activity is written at most this often per session, so requests do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;
/** Ended sessions are kept this long, for reuse detection and audits, then deleted. */
export const SESSION_RETENTION_MS = 24 * 3_600_000;

export type RevokeReason =
  | 'logout'
  | 'password_changed'
  | 'role_changed'
  | 'deactivated'
  | 'refresh_token_reuse'
  | 'admin';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newOpaqueToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

const buses = new WeakMap<Platform, EventEmitter>();

/**
 * In-process notice of revoked session ids, so this node's sockets close at once. Other processes (other
 * nodes, the CLI) are caught by the socket watcher polling `revokedSince`.
 */
export function revocations(platform: Platform): EventEmitter {
  let bus = buses.get(platform);
  if (!bus) {
    bus = new EventEmitter();
    bus.setMaxListeners(0);
    buses.set(platform, bus);
  }
  return bus;
}

export function sessionsService(platform: Platform) {
  const repo = sessionsRepo(platform.database);
  const { sessionIdleMs, sessionLifetimeMs } = platform.config;
  const announce = (ids: string[]) => {
    if (ids.length) revocations(platform).emit('revoked', ids);
  };

  /** Why the session cannot be used at `now`, or undefined when it is live. */
  function deadReason(s: SessionRow, now: number): string | undefined {
    if (s.revokedAt !== null) return 'The session has been revoked';
    if (now >= s.expiresAt) return 'The session has reached its maximum lifetime';
    if (now - s.lastActivityAt >= sessionIdleMs) return 'The session has been idle for too long';
    return undefined;
  }

  return {
    async create(input: { orgId: string; userId: string; kind: 'user' | 'visitor'; role: Role }) {
      const now = platform.clock.now();
      const refreshToken = newOpaqueToken('rt');
      const row: SessionRow = {
        id: randomUUID(),
        ...input,
        refreshTokenHash: sha256(refreshToken),
        createdAt: now,
        lastActivityAt: now,
        expiresAt: now + sessionLifetimeMs,
        revokedAt: null,
        revokedReason: null,
      };
      await repo.insert(row);
      return { session: row, refreshToken };
    },

    /** The session behind an access token, if it is live; records activity. Throws `session_revoked`. */
    async requireLive(actor: Actor): Promise<SessionRow> {
      const s = await repo.findById(actor.sessionId);
      const now = platform.clock.now();
      if (!s || s.userId !== actor.userId || s.orgId !== actor.orgId) throw new AppError('session_revoked');
      // The session, not the token, says who acts: a token whose role or kind differs from its session's was
      // not issued by us for it (a role change ends every session of the user).
      if (s.role !== actor.role || s.kind !== actor.kind) {
        throw new AppError('token_invalid', 'The token does not match its session');
      }
      const dead = deadReason(s, now);
      if (dead) throw new AppError('session_revoked', dead);
      if (now - s.lastActivityAt >= TOUCH_EVERY_MS) await repo.touch(s.id, now);
      return s;
    },

    /**
     * Exchange a refresh token for a new one. A token that was already exchanged revokes its session
     * (someone else holds a copy); an unknown one is `token_invalid`.
     */
    async rotate(refreshToken: string): Promise<{ session: SessionRow; refreshToken: string }> {
      const hash = sha256(refreshToken);
      const s = await repo.findByRefreshHash(hash);
      if (!s) {
        const rotated = await repo.findRotated(hash);
        if (rotated) {
          if (await repo.revoke(rotated.sessionId, platform.clock.now(), 'refresh_token_reuse')) {
            announce([rotated.sessionId]);
          }
          throw new AppError('session_revoked', 'This refresh token was already used; the session has been revoked');
        }
        throw new AppError('token_invalid', 'Unknown refresh token');
      }
      const now = platform.clock.now();
      const dead = deadReason(s, now);
      if (dead) throw new AppError('session_revoked', dead);
      const next = newOpaqueToken('rt');
      if (!(await repo.rotate(s.id, hash, sha256(next), now))) {
        // Lost a race with a concurrent refresh of the same token: that is a reuse too.
        if (await repo.revoke(s.id, now, 'refresh_token_reuse')) announce([s.id]);
        throw new AppError('session_revoked', 'This refresh token was already used; the session has been revoked');
      }
      return { session: { ...s, lastActivityAt: now }, refreshToken: next };
    },

    async get(id: string): Promise<SessionRow | undefined> {
      return repo.findById(id);
    },

    async revoke(sessionId: string, reason: RevokeReason): Promise<void> {
      if (await repo.revoke(sessionId, platform.clock.now(), reason)) announce([sessionId]);
    },

    /** End every session of a user (but `exceptSessionId`); their sockets close within seconds. */
    async revokeUser(orgId: string, userId: string, reason: RevokeReason, exceptSessionId?: string) {
      const ids = await repo.revokeUser(orgId, userId, platform.clock.now(), reason, exceptSessionId);
      announce(ids);
      return ids;
    },

    revokedSince: repo.revokedSince,

    /**
     * Forget sessions that ended more than `SESSION_RETENTION_MS` ago. Until then a reused refresh token of
     * a revoked session still answers `session_revoked`; afterwards it is just unknown (`token_invalid`).
     */
    purgeEnded: () => repo.purgeEnded(platform.clock.now() - SESSION_RETENTION_MS),
  };
}
export type SessionsService = ReturnType<typeof sessionsService>;
