import {
  type AdminCreateUser,
  type DirectoryQuery,
  usersRouteDefs as defs,
  type InviteUser,
  type ListUsersQuery,
  type UpdateUser,
} from '@switchboard/protocol';
import type { RestCall } from '../rest.js';
import { callRoute } from '../route-call.js';

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
  directory: (query: DirectoryQuery = {}) => callRoute(call, defs.userDirectory, { query }),
  list: (query: ListUsersQuery = {}) => callRoute(call, defs.listUsers, { query }),
  get: (id: string) => callRoute(call, defs.getUser, { params: { id } }),
  create: (body: AdminCreateUser) => callRoute(call, defs.createUser, { body }),
  invite: (body: InviteUser) => callRoute(call, defs.inviteUser, { body }),
  /** A new one-time link for someone invited who has not accepted yet; the previous link stops working. */
  reinvite: (id: string) => callRoute(call, defs.reinviteUser, { params: { id } }),
  update: (id: string, body: UpdateUser) => callRoute(call, defs.updateUser, { params: { id }, body }),
  deactivate: (id: string) => callRoute(call, defs.deactivateUser, { params: { id } }),
  reactivate: (id: string) => callRoute(call, defs.reactivateUser, { params: { id } }),
});
