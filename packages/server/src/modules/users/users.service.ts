import { randomUUID } from 'node:crypto';
import { type CreateUser, CreateUserSchema, type User } from '@switchboard/protocol';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { hashPassword } from './password.js';
import { toUser, usersRepo } from './users.repo.js';

export function usersService(platform: Platform) {
  const repo = usersRepo(platform.database);
  return {
    async create(orgId: string, input: CreateUser): Promise<User> {
      const data = CreateUserSchema.parse(input);
      if (await repo.findByEmail(orgId, data.email)) {
        throw new AppError('already_exists', 'a user with this email exists in this org');
      }
      const now = platform.clock.now();
      const row = {
        id: randomUUID(),
        orgId,
        email: data.email,
        displayName: data.displayName ?? data.email.split('@')[0] ?? data.email,
        role: data.role,
        passwordHash: await hashPassword(data.password),
        active: 1,
        createdAt: now,
        updatedAt: now,
      };
      await repo.insert(row);
      return toUser(row);
    },
    async get(orgId: string, id: string): Promise<User> {
      const row = await repo.findById(orgId, id);
      if (!row) throw new AppError('not_found', 'no such user');
      return toUser(row);
    },
  };
}
export type UsersService = ReturnType<typeof usersService>;
