import { type Role, SERVICE_ACCOUNT_DOMAIN, type User } from '@switchboard/protocol';
import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { UsersTable } from './users.tables.js';

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    orgId: row.orgId,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    kind: row.kind,
    active: row.active === 1,
    invitePending: row.inviteTokenHash !== null && row.passwordHash === null,
    createdAt: row.createdAt,
  };
}

export interface UserListFilter {
  role?: Role;
  kind?: 'user' | 'visitor';
  active?: boolean;
  /** Keyset: rows strictly older than this (createdAt, id). */
  before?: { createdAt: number; id: string };
  limit: number;
}

/**
 * Every query is scoped to one org: there is no way to read a user of another org through this repo —
 * except the two lookups sign-in needs before it knows the org (email without org slug, invite token),
 * which are named as such.
 */
export function usersRepo({ db }: Database) {
  return {
    async insert(row: NewUserRow): Promise<void> {
      await db.insertInto('users').values(row).execute();
    },
    async findById(orgId: string, id: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('orgId', '=', orgId).where('id', '=', id).executeTakeFirst();
    },
    async findByEmail(orgId: string, email: string): Promise<UserRow | undefined> {
      return db
        .selectFrom('users')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('email', '=', email)
        .executeTakeFirst();
    },
    /** Sign-in without an org slug: the same email in every org (at most a few rows). */
    async findByEmailInAnyOrg(email: string): Promise<UserRow[]> {
      return db.selectFrom('users').selectAll().where('email', '=', email).limit(10).execute();
    },
    /** Invite acceptance: the token hash is unique across orgs. */
    async findByInviteHashInAnyOrg(hash: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('inviteTokenHash', '=', hash).executeTakeFirst();
    },
    async findVisitor(orgId: string, visitorIdHash: string): Promise<UserRow | undefined> {
      return db
        .selectFrom('users')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('visitorIdHash', '=', visitorIdHash)
        .executeTakeFirst();
    },
    async findByExternalId(orgId: string, externalId: string): Promise<UserRow | undefined> {
      return db
        .selectFrom('users')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('externalId', '=', externalId)
        .executeTakeFirst();
    },
    async list(orgId: string, f: UserListFilter): Promise<UserRow[]> {
      let q = db.selectFrom('users').selectAll().where('orgId', '=', orgId);
      if (f.role) q = q.where('role', '=', f.role);
      if (f.kind) q = q.where('kind', '=', f.kind);
      if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
      const before = f.before;
      if (before) {
        q = q.where((eb) =>
          eb.or([
            eb('createdAt', '<', before.createdAt),
            eb.and([eb('createdAt', '=', before.createdAt), eb('id', '<', before.id)]),
          ]),
        );
      }
      return q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
    },
    /**
     * Active staff by display name, `q` matching part of it in any case; no service accounts, and nobody who
     * has not accepted their invite yet (they cannot read a conversation or take a transfer).
     */
    async directory(orgId: string, q: string | undefined, limit: number): Promise<UserRow[]> {
      let query = db
        .selectFrom('users')
        .selectAll()
        .where('orgId', '=', orgId)
        .where('kind', '=', 'user')
        .where('active', '=', 1)
        .where('inviteTokenHash', 'is', null)
        .where('role', 'in', ['agent', 'supervisor', 'admin'])
        .where('email', 'not like', `%@${SERVICE_ACCOUNT_DOMAIN}`);
      if (q) {
        const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where(sql<boolean>`lower(${sql.ref('displayName')}) like ${pattern} escape '\\'`);
      }
      return query
        .orderBy(sql`lower(${sql.ref('displayName')})`)
        .orderBy('id')
        .limit(limit)
        .execute();
    },
    /**
     * Customers whose name, email (people) or contact email (visitors, whose own address is a placeholder)
     * contains every one of `words` (lowercase letters and digits), newest first.
     */
    async customersMatching(orgId: string, words: string[], limit: number): Promise<UserRow[]> {
      let query = db.selectFrom('users').selectAll().where('orgId', '=', orgId).where('role', '=', 'customer');
      for (const word of words) {
        const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        const like = (column: 'displayName' | 'email' | 'contactEmail') =>
          sql<boolean>`lower(coalesce(${sql.ref(column)}, '')) like ${pattern} escape '\\'`;
        query = query.where((eb) =>
          eb.or([like('displayName'), eb.and([eb('kind', '=', 'user'), like('email')]), like('contactEmail')]),
        );
      }
      return query.orderBy('createdAt', 'desc').limit(limit).execute();
    },
    async countActiveAdmins(orgId: string): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('orgId', '=', orgId)
        .where('role', '=', 'admin')
        .where('active', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async update(orgId: string, id: string, patch: Updateable<UsersTable>): Promise<void> {
      await db.updateTable('users').set(patch).where('orgId', '=', orgId).where('id', '=', id).execute();
    },
  };
}
export type UsersRepo = ReturnType<typeof usersRepo>;
