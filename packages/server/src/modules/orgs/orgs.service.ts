import { randomUUID } from 'node:crypto';
import {
  type CreateOrg,
  CreateOrgSchema,
  type Org,
  type UpdateOrg,
  UpdateOrgSchema,
  type WidgetSettings,
} from '@switchboard/protocol';
import type { Actor } from '../../actor.js';
import { AppError } from '../../errors.js';
import type { Platform } from '../../platform/platform.js';
import { type OrgRow, orgsRepo, toOrg } from './orgs.repo.js';
import { newWidgetKey, newWidgetSecret } from './orgs.tables.js';

export function orgsService(platform: Platform) {
  const repo = orgsRepo(platform.database);
  async function row(id: string): Promise<OrgRow> {
    const found = await repo.findById(id);
    if (!found) throw new AppError('not_found', 'no such org');
    return found;
  }
  return {
    async create(input: CreateOrg): Promise<Org> {
      const { slug, name } = CreateOrgSchema.parse(input);
      if (await repo.findBySlug(slug)) throw new AppError('already_exists', `an org with slug "${slug}" exists`);
      const created: OrgRow = {
        id: randomUUID(),
        slug,
        name,
        createdAt: platform.clock.now(),
        widgetKey: newWidgetKey(),
        widgetSecret: newWidgetSecret(),
      };
      await repo.insert(created);
      return toOrg(created);
    },
    async get(id: string): Promise<Org> {
      return toOrg(await row(id));
    },
    async getBySlug(slug: string): Promise<Org> {
      const found = await repo.findBySlug(slug);
      if (!found) throw new AppError('not_found', `no org with slug "${slug}"`);
      return toOrg(found);
    },
    /** The caller's own org: there is no way to name another. */
    async current(actor: Actor): Promise<Org> {
      return toOrg(await row(actor.orgId));
    },
    async updateCurrent(actor: Actor, input: UpdateOrg): Promise<Org> {
      const { name } = UpdateOrgSchema.parse(input);
      await repo.update(actor.orgId, { name });
      return toOrg(await row(actor.orgId));
    },
    async widgetSettings(actor: Actor): Promise<WidgetSettings> {
      const r = await row(actor.orgId);
      return { widgetKey: r.widgetKey, identitySecret: r.widgetSecret };
    },
    /** A new identity secret: signatures made with the old one stop verifying at once. */
    async rotateWidgetSecret(actor: Actor): Promise<WidgetSettings> {
      await repo.update(actor.orgId, { widgetSecret: newWidgetSecret() });
      return this.widgetSettings(actor);
    },
    /** For the widget session: the org behind a public widget key, with its identity secret. */
    async byWidgetKey(widgetKey: string): Promise<{ org: Org; secret: string } | undefined> {
      const r = await repo.findByWidgetKey(widgetKey);
      return r ? { org: toOrg(r), secret: r.widgetSecret } : undefined;
    },
    /** The public widget key of the org with this slug (the demo page embeds the demo org's). */
    async widgetKeyBySlug(slug: string): Promise<string | undefined> {
      return (await repo.findBySlug(slug))?.widgetKey;
    },
    count: repo.count,
  };
}
export type OrgsService = ReturnType<typeof orgsService>;
