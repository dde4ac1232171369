import type { User } from '@switchboard/protocol';
import type { Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { UsersTable } from './users.tables.js';

export type UserRow = Selectable<UsersTable>;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    orgId: row.orgId,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    active: row.active === 1,
    createdAt: row.createdAt,
  };
}

/** Every query is scoped to one org: there is no way to read a user of another org through this repo. */
export function usersRepo({ db }: Database) {
  return {
    async insert(row: UserRow): Promise<void> {
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
  };
}
export type UsersRepo = ReturnType<typeof usersRepo>;
