import type { Role } from '@switchboard/protocol';

/**
 * The users row the setup steps insert directly (no argon2 per user, no invite): an active person of `orgId`.
 * Shared by `seed.ts` and `presence-bookkeeping.ts`.
 */
export function benchUserRow(u: {
  id: string;
  orgId: string;
  email: string;
  displayName: string;
  role: Role;
  passwordHash: string | null;
  now: number;
}) {
  return {
    id: u.id,
    orgId: u.orgId,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    passwordHash: u.passwordHash,
    active: 1,
    createdAt: u.now,
    updatedAt: u.now,
    kind: 'user' as const,
    visitorIdHash: null,
    externalId: null,
    inviteTokenHash: null,
    inviteExpiresAt: null,
  };
}
