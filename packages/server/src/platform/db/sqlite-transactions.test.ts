import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DB } from '../../schema.js';
import { type Database, openDatabase } from './database.js';

let database: Database;
// The tables of these tests are not in the schema: queries on them go through `sql`.
const rowsOf = async (db: Kysely<DB>, table: 'a' | 'b') =>
  (await sql<{ id: number }>`select id from ${sql.table(table)} order by id`.execute(db)).rows.map((r) => r.id);

beforeEach(async () => {
  database = await openDatabase({ kind: 'sqlite', file: ':memory:' });
  await sql`create table a (id integer primary key)`.execute(database.db);
  await sql`create table b (id integer primary key, a_id integer references a (id) deferrable initially deferred)`.execute(
    database.db,
  );
});
afterEach(() => database.close());

it('commits what the function wrote and returns its result', async () => {
  const out = await database.transaction(async (tx) => {
    await sql`insert into a (id) values (1), (2)`.execute(tx);
    expect(tx.isTransaction).toBe(true);
    return 'done';
  });
  expect(out).toBe('done');
  expect(await rowsOf(database.db, 'a')).toEqual([1, 2]);
});

it('rolls everything back when the function throws, and the next transaction starts clean', async () => {
  await expect(
    database.transaction(async (tx) => {
      await sql`insert into a (id) values (1)`.execute(tx);
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  expect(await rowsOf(database.db, 'a')).toEqual([]);
  await database.transaction((tx) => sql`insert into a (id) values (3)`.execute(tx));
  expect(await rowsOf(database.db, 'a')).toEqual([3]);
});

it('rolls back when the commit itself fails (a deferred foreign key), leaving no transaction open', async () => {
  await expect(
    database.transaction(async (tx) => {
      await sql`insert into a (id) values (1)`.execute(tx);
      await sql`insert into b (id, a_id) values (1, 99)`.execute(tx);
    }),
  ).rejects.toThrow(/FOREIGN KEY/);
  expect(await rowsOf(database.db, 'a')).toEqual([]);
  expect(await rowsOf(database.db, 'b')).toEqual([]);
  await database.transaction((tx) => sql`insert into a (id) values (2)`.execute(tx));
  expect(await rowsOf(database.db, 'a')).toEqual([2]);
});

it('refuses the handle once its transaction is over', async () => {
  let kept: Kysely<DB> | undefined;
  await database.transaction(async (tx) => {
    kept = tx;
  });
  await expect(rowsOf(kept as Kysely<DB>, 'a')).rejects.toThrow('the transaction is over');
});

it('keeps other queries and transactions out until the open one committed', async () => {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const first = database.transaction(async (tx) => {
    await sql`insert into a (id) values (1)`.execute(tx);
    await gate;
    await sql`insert into a (id) values (2)`.execute(tx);
  });
  // Issued while the first transaction waits: each must see both of its rows or none, never one.
  const outside = rowsOf(database.db, 'a');
  const second = database.transaction((tx) => rowsOf(tx, 'a'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  release();
  await first;
  expect(await outside).toEqual([1, 2]);
  expect(await second).toEqual([1, 2]);
});

it('leaves a transaction it did not open alone when its own begin fails', async () => {
  // A transaction opened around Kysely's transaction API (a raw `begin`) is not ours to roll back.
  await sql`begin`.execute(database.db);
  await sql`insert into a (id) values (7)`.execute(database.db);
  await expect(database.transaction(async () => {})).rejects.toThrow(/within a transaction/);
  await sql`commit`.execute(database.db);
  expect(await rowsOf(database.db, 'a')).toEqual([7]);
});
