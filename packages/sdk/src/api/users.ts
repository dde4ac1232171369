import {
  type AdminCreateUser,
  type DirectoryQuery,
  DirectorySchema,
  InviteResponseSchema,
  type InviteUser,
  type ListUsersQuery,
  type UpdateUser,
  UserPageSchema,
  UserSchema,
} from '@switchboard/protocol';
import type { Query, RestCall } from '../rest.js';

/**
 * The users of my org (`/api/v1/users…`): any staff member reads the directory, supervisors and admins
 * list them, admins create, invite, change roles and deactivate.
 *
 * @example
 * ```ts
 * const { items } = await client.api.users.list({ limit: 50 });
 * await client.api.users.update(items[0].id, { role: 'agent' });
 * const { inviteToken } = await client.api.users.invite({ email: 'new@example.com', role: 'agent' });
 * ```
 */
export const usersApi = (call: RestCall) => ({
  /** Any staff member: the org's active staff by name, for pickers. */
  directory: (query: DirectoryQuery = {}) =>
    call('GET', '/api/v1/users/directory', DirectorySchema, { query: query as Query }),
  list: (query: ListUsersQuery = {}) => call('GET', '/api/v1/users', UserPageSchema, { query: query as Query }),
  get: (id: string) => call('GET', `/api/v1/users/${id}`, UserSchema),
  create: (body: AdminCreateUser) => call('POST', '/api/v1/users', UserSchema, { body }),
  invite: (body: InviteUser) => call('POST', '/api/v1/users/invite', InviteResponseSchema, { body }),
  /** A new one-time link for someone invited who has not accepted yet; the previous link stops working. */
  reinvite: (id: string) => call('POST', `/api/v1/users/${id}/invite`, InviteResponseSchema),
  update: (id: string, body: UpdateUser) => call('PATCH', `/api/v1/users/${id}`, UserSchema, { body }),
  deactivate: (id: string) => call('POST', `/api/v1/users/${id}/deactivate`, UserSchema),
  reactivate: (id: string) => call('POST', `/api/v1/users/${id}/reactivate`, UserSchema),
});
