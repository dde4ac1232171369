import { createHash, randomUUID } from 'node:crypto';
import {
  type AdminCreateUser,
  AdminCreateUserSchema,
  type CreateUser,
  CreateUserSchema,
  type Directory,
  type DirectoryQuery,
  DirectoryQuerySchema,
  type InviteResponse,
  type InviteUser,
  InviteUserSchema,
  type ListUsersQuery,
  ListUsersQuerySchema,
  type UpdateUser,
  UpdateUserSchema,
  type User,
  type UserPage,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { newOpaqueToken, sessionsService, sha256 } from '../auth/sessions.service.js';
import { hashPassword, verifyPassword } from './password.js';
import { assertAcceptablePassword } from './password-policy.js';
import { type NewUserRow, toUser, type UserRow, usersRepo } from './users.repo.js';

// The users module's public row type and its mapping, for the auth service that signs users in.
export { toUser, type UserRow };

const INVITE_TTL_MS = 7 * 24 * 3_600_000;

function encodeCursor(row: UserRow): string {
  return Buffer.from(JSON.stringify([row.createdAt, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof createdAt === 'number' && typeof id === 'string') return { createdAt, id };
  } catch {}
  throw new AppError('bad_request', 'The cursor is not valid');
}

export function usersService(platform: Platform) {
  const repo = usersRepo(platform.database);
  const sessions = sessionsService(platform);
  // The contact center hears deactivations (their conversations go back to the queue); wired in services.ts.
  const deactivatedListeners = new Set<(orgId: string, userId: string) => Promise<void>>();

  async function row(orgId: string, id: string): Promise<UserRow> {
    const found = await repo.findById(orgId, id);
    if (!found) throw new AppError('not_found', 'no such user');
    return found;
  }

  async function insertNew(orgId: string, fields: Omit<NewUserRow, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>) {
    if (await repo.findByEmail(orgId, fields.email)) {
      throw new AppError('already_exists', 'a user with this email exists in this org');
    }
    const now = platform.clock.now();
    const created = { id: randomUUID(), orgId, createdAt: now, updatedAt: now, ...fields };
    await repo.insert(created);
    return row(orgId, created.id);
  }

  /** Refuse a change that would leave the org without an active admin. */
  async function keepAnAdmin(target: UserRow, change: string) {
    if (target.role === 'admin' && target.active === 1 && (await repo.countActiveAdmins(target.orgId)) <= 1) {
      throw new AppError('conflict', `cannot ${change} the last active admin of the org`);
    }
  }

  return {
    /** Create a user with a password (CLI, seed, admin API). */
    async create(orgId: string, input: CreateUser): Promise<User> {
      const data = CreateUserSchema.parse(input);
      assertAcceptablePassword(data.password, data.email);
      const created = await insertNew(orgId, {
        email: data.email,
        displayName: data.displayName ?? data.email.split('@')[0] ?? data.email,
        role: data.role,
        passwordHash: await hashPassword(data.password),
        active: 1,
      });
      return toUser(created);
    },
    async get(orgId: string, id: string): Promise<User> {
      return toUser(await row(orgId, id));
    },

    async adminCreate(actor: Actor, input: AdminCreateUser): Promise<User> {
      return this.create(actor.orgId, AdminCreateUserSchema.parse(input));
    },

    /** A user without a password and a one-time token (shown once) to set it. */
    async invite(actor: Actor, input: InviteUser): Promise<InviteResponse> {
      const data = InviteUserSchema.parse(input);
      const inviteToken = newOpaqueToken('inv');
      const inviteExpiresAt = platform.clock.now() + INVITE_TTL_MS;
      const created = await insertNew(actor.orgId, {
        email: data.email,
        displayName: data.displayName ?? data.email.split('@')[0] ?? data.email,
        role: data.role,
        passwordHash: null,
        active: 1,
        inviteTokenHash: sha256(inviteToken),
        inviteExpiresAt,
      });
      return { user: toUser(created), inviteToken, inviteExpiresAt };
    },

    /** A new one-time link for someone invited who has not set a password yet; the previous link stops working. */
    async reinvite(actor: Actor, id: string): Promise<InviteResponse> {
      const target = await row(actor.orgId, id);
      if (target.kind !== 'user' || target.passwordHash !== null) {
        throw new AppError('conflict', 'This user has already accepted their invite');
      }
      if (target.active !== 1) throw new AppError('conflict', 'Reactivate this user before inviting them again');
      const inviteToken = newOpaqueToken('inv');
      const now = platform.clock.now();
      const inviteExpiresAt = now + INVITE_TTL_MS;
      await repo.update(actor.orgId, id, { inviteTokenHash: sha256(inviteToken), inviteExpiresAt, updatedAt: now });
      return { user: toUser(await row(actor.orgId, id)), inviteToken, inviteExpiresAt };
    },

    /** Set the password of an invited user; the token works once. */
    async acceptInvite(token: string, password: string, displayName?: string): Promise<UserRow> {
      const found = await repo.findByInviteHashInAnyOrg(sha256(token));
      if (found?.active !== 1 || (found.inviteExpiresAt ?? 0) <= platform.clock.now()) {
        throw new AppError('token_invalid', 'The invite is unknown, used or expired');
      }
      assertAcceptablePassword(password, found.email);
      await repo.update(found.orgId, found.id, {
        passwordHash: await hashPassword(password),
        inviteTokenHash: null,
        inviteExpiresAt: null,
        ...(displayName ? { displayName } : {}),
        updatedAt: platform.clock.now(),
      });
      return row(found.orgId, found.id);
    },

    async list(actor: Actor, query: ListUsersQuery): Promise<UserPage> {
      const q = ListUsersQuerySchema.parse(query);
      const rows = await repo.list(actor.orgId, {
        role: q.role,
        kind: q.kind,
        active: q.active === undefined ? undefined : q.active === 'true',
        before: q.cursor ? decodeCursor(q.cursor) : undefined,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return { items: page.map(toUser), ...(rows.length > q.limit && last ? { nextCursor: encodeCursor(last) } : {}) };
    },

    /** The org's active staff for any staff member's pickers: id, name and role only. */
    async directory(actor: Actor, query: DirectoryQuery): Promise<Directory> {
      const q = DirectoryQuerySchema.parse(query);
      const rows = await repo.directory(actor.orgId, q.q || undefined, q.limit);
      return { items: rows.map((r) => ({ id: r.id, displayName: r.displayName, role: r.role })) };
    },

    /**
     * Customers matching every word by name or by the email staff see (a visitor's contact email, never
     * their placeholder address), for the support search. Words: lowercase letters and digits.
     */
    async customersMatching(orgId: string, words: string[], limit: number) {
      return (await repo.customersMatching(orgId, words, limit)).map((r) => ({
        id: r.id,
        displayName: r.displayName,
        email: r.kind === 'user' ? r.email : (r.contactEmail ?? ''),
      }));
    },

    async getForActor(actor: Actor, id: string): Promise<User> {
      return toUser(await row(actor.orgId, id));
    },

    /** Rename or change the role; a role change ends the user's sessions (their tokens carry the role). */
    async update(actor: Actor, id: string, input: UpdateUser): Promise<User> {
      const patch = UpdateUserSchema.parse(input);
      const target = await row(actor.orgId, id);
      const roleChanged = patch.role !== undefined && patch.role !== target.role;
      if (roleChanged && target.kind === 'visitor') throw new AppError('conflict', 'a visitor stays a customer');
      if (roleChanged) await keepAnAdmin(target, 'demote');
      await repo.update(actor.orgId, id, { ...patch, updatedAt: platform.clock.now() });
      if (roleChanged) await sessions.revokeUser(actor.orgId, id, 'role_changed');
      return toUser(await row(actor.orgId, id));
    },

    async deactivate(actor: Actor, id: string): Promise<User> {
      const target = await row(actor.orgId, id);
      if (target.id === actor.userId) throw new AppError('conflict', 'you cannot deactivate yourself');
      await keepAnAdmin(target, 'deactivate');
      await repo.update(actor.orgId, id, { active: 0, updatedAt: platform.clock.now() });
      await sessions.revokeUser(actor.orgId, id, 'deactivated');
      for (const l of deactivatedListeners) await l(actor.orgId, id);
      return toUser(await row(actor.orgId, id));
    },

    /** Hear every deactivation, after it is stored (the listener's failure fails the call). */
    onDeactivated(listener: (orgId: string, userId: string) => Promise<void>): () => void {
      deactivatedListeners.add(listener);
      return () => deactivatedListeners.delete(listener);
    },

    async reactivate(actor: Actor, id: string): Promise<User> {
      await row(actor.orgId, id);
      await repo.update(actor.orgId, id, { active: 1, updatedAt: platform.clock.now() });
      return toUser(await row(actor.orgId, id));
    },

    /** Check the current password, set the new one and end every session of the user. */
    async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<UserRow> {
      const target = await row(actor.orgId, actor.userId);
      if (target.kind !== 'user' || !target.passwordHash) throw new AppError('forbidden', 'no password to change');
      if (!(await verifyPassword(target.passwordHash, currentPassword))) {
        throw new AppError('invalid_credentials', 'The current password is wrong');
      }
      assertAcceptablePassword(newPassword, target.email, 'body.newPassword');
      await repo.update(actor.orgId, actor.userId, {
        passwordHash: await hashPassword(newPassword),
        updatedAt: platform.clock.now(),
      });
      await sessions.revokeUser(actor.orgId, actor.userId, 'password_changed');
      return target;
    },

    /** Sign-in lookup: the accounts with this email, in one org or (no slug given) in every org. */
    async loginCandidates(email: string, orgId: string | undefined): Promise<UserRow[]> {
      if (orgId) {
        const found = await repo.findByEmail(orgId, email);
        return found ? [found] : [];
      }
      return repo.findByEmailInAnyOrg(email);
    },

    rowById: (orgId: string, id: string) => repo.findById(orgId, id),

    /** The customer user of an anonymous widget visitor, by the hash of the id the widget keeps. */
    findVisitor: (orgId: string, visitorIdHash: string) => repo.findVisitor(orgId, visitorIdHash),

    async createVisitor(orgId: string, visitorIdHash: string, displayName?: string): Promise<UserRow> {
      const id = randomUUID();
      await repo.insert(visitorRow(platform.clock.now(), orgId, id, displayName ?? visitorName(id), { visitorIdHash }));
      return row(orgId, id);
    },

    /** A customer's own contact details as they gave them in the widget; staff see them on the conversation. */
    async setContact(orgId: string, id: string, patch: { displayName?: string; email?: string }): Promise<UserRow> {
      await repo.update(orgId, id, {
        ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
        ...(patch.email !== undefined ? { contactEmail: patch.email } : {}),
        updatedAt: platform.clock.now(),
      });
      return row(orgId, id);
    },

    /** The customer user bound to the site's verified user id: the same one every time. */
    async identifiedVisitor(orgId: string, externalId: string, displayName?: string): Promise<UserRow> {
      const found = await repo.findByExternalId(orgId, externalId);
      if (found) return found;
      const id = randomUUID();
      try {
        await repo.insert(visitorRow(platform.clock.now(), orgId, id, displayName ?? externalId, { externalId }));
      } catch (err) {
        // Two first sessions at once: the unique (org, externalId) index let one win; use it.
        const winner = await repo.findByExternalId(orgId, externalId);
        if (winner) return winner;
        throw err;
      }
      return row(orgId, id);
    },
  };
}

/**
 * "Visitor 4821": a name staff can tell anonymous visitors apart by, derived from the (random) user id so it
 * is fixed at creation and stays the same for that visitor.
 */
export function visitorName(userId: string): string {
  const n = Number.parseInt(createHash('sha256').update(userId).digest('hex').slice(0, 8), 16);
  return `Visitor ${1000 + (n % 9000)}`;
}

function visitorRow(
  now: number,
  orgId: string,
  id: string,
  displayName: string,
  key: { visitorIdHash?: string; externalId?: string },
): NewUserRow {
  return {
    id,
    orgId,
    // RFC 2606 reserves .invalid: never deliverable, never collides with a real address.
    email: `visitor-${id}@visitors.invalid`,
    displayName,
    role: 'customer',
    kind: 'visitor',
    passwordHash: null,
    active: 1,
    createdAt: now,
    updatedAt: now,
    ...key,
  };
}

export type UsersService = ReturnType<typeof usersService>;
