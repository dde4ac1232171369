import { randomUUID } from 'node:crypto';
import {
  type CannedResponse,
  type CreateCannedResponse,
  CreateCannedResponseSchema,
  SUPERVISOR_ROLES,
  type UpdateCannedResponse,
  UpdateCannedResponseSchema,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { type CannedRow, cannedRepo, toCanned } from './canned.repo.js';

const manages = (actor: Actor) => (SUPERVISOR_ROLES as readonly string[]).includes(actor.role);

/**
 * Canned responses. Every staff member reads the org's and their own; anyone writes their own; the org's are
 * written by supervisors and admins. A personal response is invisible to everyone but its owner (another
 * person's id answers `not_found`, as if it did not exist).
 */
export function cannedService(platform: Platform) {
  const repo = cannedRepo(platform.database);

  async function writable(actor: Actor, id: string): Promise<CannedRow> {
    const row = await repo.find(actor.orgId, id);
    if (!row || (row.ownerKey !== '' && row.ownerKey !== actor.userId))
      throw new AppError('not_found', 'no such canned response');
    if (row.ownerKey === '' && !manages(actor))
      throw new AppError('forbidden', "only supervisors and admins change the team's canned responses");
    return row;
  }

  async function requireFree(actor: Actor, ownerKey: string, shortcut: string, except?: string) {
    if (await repo.taken(actor.orgId, ownerKey, shortcut, except))
      throw new AppError('conflict', `the shortcut /${shortcut} is already used`);
  }

  return {
    list: async (actor: Actor): Promise<CannedResponse[]> =>
      (await repo.visible(actor.orgId, actor.userId)).map(toCanned),

    async create(actor: Actor, input: CreateCannedResponse): Promise<CannedResponse> {
      const data = CreateCannedResponseSchema.parse(input);
      if (data.scope === 'org' && !manages(actor))
        throw new AppError('forbidden', "only supervisors and admins add the team's canned responses");
      const ownerKey = data.scope === 'org' ? '' : actor.userId;
      await requireFree(actor, ownerKey, data.shortcut);
      const now = platform.clock.now();
      const row: CannedRow = {
        id: randomUUID(),
        orgId: actor.orgId,
        ownerKey,
        shortcut: data.shortcut,
        title: data.title,
        text: data.text,
        createdAt: now,
        updatedAt: now,
      };
      await repo.insert(row);
      return toCanned(row);
    },

    async update(actor: Actor, id: string, input: UpdateCannedResponse): Promise<CannedResponse> {
      const patch = UpdateCannedResponseSchema.parse(input);
      const row = await writable(actor, id);
      if (patch.shortcut !== undefined) await requireFree(actor, row.ownerKey, patch.shortcut, id);
      const next = { ...row, ...patch, updatedAt: platform.clock.now() };
      await repo.update(actor.orgId, id, {
        shortcut: next.shortcut,
        title: next.title,
        text: next.text,
        updatedAt: next.updatedAt,
      });
      return toCanned(next);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await writable(actor, id);
      await repo.remove(actor.orgId, id);
    },
  };
}
export type CannedService = ReturnType<typeof cannedService>;
