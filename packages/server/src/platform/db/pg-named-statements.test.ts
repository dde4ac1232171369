import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/config.js';
import { storageTargets } from '../../test/storage.js';
import type { Database } from './database.js';

const postgres = storageTargets.find((t) => t.dialect === 'postgres');

describe.skipIf(!postgres)(
  `PostgreSQL named statements${postgres ? '' : ' — skipped: set DATABASE_URL to run against PostgreSQL'}`,
  () => {
    let database: Database;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const opened = await (postgres as NonNullable<typeof postgres>).open(testConfig());
      database = opened.database;
      drop = opened.drop;
      await sql`create table named_probe (id integer primary key, label text not null)`.execute(database.db);
    });
    afterAll(async () => {
      await drop();
      await database.db.destroy();
    });

    /** The statements prepared on the connection that runs this query (the pool hands the last one back). */
    const prepared = async () =>
      (
        await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(
          database.db,
        )
      ).rows;

    it('prepares a repeated data statement once under a name and runs it with each call’s values', async () => {
      const insert = (id: number, label: string) =>
        database.db
          .insertInto('named_probe' as never)
          .values({ id, label } as never)
          .execute();
      await insert(1, 'one');
      await insert(2, 'two');
      await insert(3, 'three');
      const select = (id: number) =>
        database.db
          .selectFrom('named_probe' as never)
          .select('label' as never)
          .where('id' as never, '=', id as never)
          .execute() as Promise<{ label: string }[]>;
      expect(await select(1)).toEqual([{ label: 'one' }]);
      expect(await select(2)).toEqual([{ label: 'two' }]);
      expect(await select(3)).toEqual([{ label: 'three' }]);
      const statements = await prepared();
      const named = statements.filter((s) => /named_probe/.test(s.statement));
      expect(named.map((s) => s.statement.split(' ')[0])).toEqual(expect.arrayContaining(['insert', 'select']));
      expect(named.every((s) => /^sb\d+$/.test(s.name))).toBe(true);
      // Never a schema change, even when repeated.
      await sql`create index if not exists named_probe_label on named_probe (label)`.execute(database.db);
      await sql`create index if not exists named_probe_label on named_probe (label)`.execute(database.db);
      expect((await prepared()).some((s) => /create index/i.test(s.statement))).toBe(false);
    });

    it('runs a statement again, unnamed, when another process changed its table (a rolling upgrade)', async () => {
      const all = () =>
        database.db
          .selectFrom('named_probe' as never)
          .selectAll()
          .where('id' as never, '=', 1 as never)
          .execute() as Promise<Record<string, unknown>[]>;
      await all();
      await all();
      expect((await prepared()).some((s) => /select \* from "named_probe"/.test(s.statement))).toBe(true);
      // Another node's migration, on a connection of its own.
      const opts = database.options as { url: string; schema: string };
      const other = new pg.Client({ connectionString: opts.url });
      await other.connect();
      await other.query(`alter table ${opts.schema}.named_probe add column extra text default 'x'`);
      await other.end();
      expect(await all()).toEqual([{ id: 1, label: 'one', extra: 'x' }]);
      expect(await all()).toEqual([{ id: 1, label: 'one', extra: 'x' }]);
    });
  },
);
