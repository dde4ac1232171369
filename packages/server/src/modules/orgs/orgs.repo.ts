import type { Org } from '@switchboard/protocol';
import type { Selectable } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { OrgsTable } from './orgs.tables.js';

export type OrgRow = Selectable<OrgsTable>;

export function toOrg(row: OrgRow): Org {
  return { id: row.id, slug: row.slug, name: row.name, createdAt: row.createdAt };
}

export function orgsRepo({ db }: Database) {
  return {
    async insert(row: OrgRow): Promise<void> {
      await db.insertInto('orgs').values(row).execute();
    },
    async findById(id: string): Promise<OrgRow | undefined> {
      return db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async findBySlug(slug: string): Promise<OrgRow | undefined> {
      return db.selectFrom('orgs').selectAll().where('slug', '=', slug).executeTakeFirst();
    },
    async findByWidgetKey(widgetKey: string): Promise<OrgRow | undefined> {
      return db.selectFrom('orgs').selectAll().where('widgetKey', '=', widgetKey).executeTakeFirst();
    },
    async update(id: string, patch: Partial<Pick<OrgRow, 'name' | 'widgetSecret'>>): Promise<void> {
      await db.updateTable('orgs').set(patch).where('id', '=', id).execute();
    },
    async count(): Promise<number> {
      const row = await db
        .selectFrom('orgs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
export type OrgsRepo = ReturnType<typeof orgsRepo>;
