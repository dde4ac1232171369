import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  const open: SqliteDatabase.Database[] = [];
  afterEach(() => {
    for (const d of open.splice(0)) if (d.open) d.close();
  });

  it('prepares each SQL text once, evicts one not used since it was last passed over, and closes the database', () => {
    const raw = new SqliteDatabase(':memory:');
    open.push(raw);
    let prepared = 0;
    const counting = {
      prepare: (text: string) => {
        prepared++;
        return raw.prepare(text);
      },
      close: () => raw.close(),
    };
    const db = withStatementCache(counting, 2);
    const a = db.prepare('select 1');
    expect(db.prepare('select 1')).toBe(a);
    db.prepare('select 2');
    db.prepare('select 1'); // now the most recently used
    db.prepare('select 3'); // evicts "select 2"
    expect(prepared).toBe(3);
    expect(db.prepare('select 1')).toBe(a);
    db.prepare('select 2');
    expect(prepared).toBe(4);
    db.close();
    expect(raw.open).toBe(false);
  });

  it('gives Kysely the same answers, across inserts, reads, updates and a transaction', async () => {
    const raw = new SqliteDatabase(':memory:');
    open.push(raw);
    const db = new Kysely<{ item: { id: number; name: string } }>({
      dialect: new SqliteDialect({ database: withStatementCache(raw, 4) }),
      plugins: [new CamelCasePlugin()],
    });
    await sql`create table item (id integer primary key, name text not null)`.execute(db);
    for (let i = 1; i <= 20; i++)
      await db
        .insertInto('item')
        .values({ id: i, name: `n${i}` })
        .execute();
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('item').set({ name: 'changed' }).where('id', '<=', 5).execute();
    });
    const rows = await db.selectFrom('item').select(['id', 'name']).where('id', 'in', [1, 6, 20]).execute();
    expect(rows).toEqual([
      { id: 1, name: 'changed' },
      { id: 6, name: 'n6' },
      { id: 20, name: 'n20' },
    ]);
    const counted = await db.selectFrom('item').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(counted.n).toBe(20);
    await db.destroy();
  });
});
