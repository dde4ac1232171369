import { randomUUID } from 'node:crypto';
import { type CreateOrg, CreateOrgSchema, type Org } from '@switchboard/protocol';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { orgsRepo } from './orgs.repo.js';

export function orgsService(platform: Platform) {
  const repo = orgsRepo(platform.database);
  return {
    async create(input: CreateOrg): Promise<Org> {
      const { slug, name } = CreateOrgSchema.parse(input);
      if (await repo.findBySlug(slug)) throw new AppError('already_exists', `an org with slug "${slug}" exists`);
      const org: Org = { id: randomUUID(), slug, name, createdAt: platform.clock.now() };
      await repo.insert(org);
      return org;
    },
    async get(id: string): Promise<Org> {
      const org = await repo.findById(id);
      if (!org) throw new AppError('not_found', 'no such org');
      return org;
    },
    async getBySlug(slug: string): Promise<Org> {
      const org = await repo.findBySlug(slug);
      if (!org) throw new AppError('not_found', `no org with slug "${slug}"`);
      return org;
    },
    count: repo.count,
  };
}
export type OrgsService = ReturnType<typeof orgsService>;
