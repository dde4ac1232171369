import type { Org } from '@switchboard/protocol';
import type { Database } from '../../platform/db/database.js';

export function orgsRepo({ db }: Database) {
  return {
    async insert(org: Org): Promise<void> {
      await db.insertInto('orgs').values(org).execute();
    },
    async findById(id: string): Promise<Org | undefined> {
      return db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async findBySlug(slug: string): Promise<Org | undefined> {
      return db.selectFrom('orgs').selectAll().where('slug', '=', slug).executeTakeFirst();
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
