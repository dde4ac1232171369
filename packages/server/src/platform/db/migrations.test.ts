import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../test/config.js';
import { describeStorage, type StorageTarget, storageTargets } from '../../test/storage.js';
import { migrateToLatest, pendingMigrations } from './migrations.js';

describeStorage('migrations', (ctx) => {
  it('leaves nothing pending after start, and a second run applies nothing', async () => {
    const { database } = ctx().platform;
    expect(await pendingMigrations(database)).toEqual([]);
    expect(await migrateToLatest(database)).toEqual([]);
  });

  it('reports a migration this build has that the database lacks', async () => {
    const { database } = ctx().platform;
    const extra = {
      name: '9999_test_extra',
      async up() {},
    };
    const { migrations } = await import('../../schema.js');
    expect(await pendingMigrations(database, [...migrations, extra])).toEqual(['9999_test_extra']);
  });
});

const postgres = storageTargets.find((t) => t.dialect === 'postgres');

// Skipped without DATABASE_URL: the case is PostgreSQL's (other schemas of one database); .ci/run sets it.
describe.skipIf(!postgres)('migrations beside other schemas [postgres]', () => {
  it("migrate while other schemas of the same database come and go (parallel tests', other apps')", async () => {
    const target = postgres as StorageTarget;
    const opened = await Promise.all(Array.from({ length: 6 }, () => target.open(testConfig())));
    const first = opened[0]?.database.options;
    if (first?.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const churner = new pg.Client({ connectionString: first.url });
    await churner.connect();
    let churning = true;
    const churn = (async () => {
      // Kysely's own introspector lists every table of every schema, then resolves each by name: a schema
      // dropped in between failed the migration with "relation … does not exist".
      while (churning) {
        const other = `sb_churn_${randomBytes(4).toString('hex')}`;
        await churner.query(`create schema ${other}; create table ${other}.t (id serial primary key)`);
        await churner.query(`drop schema ${other} cascade`);
      }
    })();
    try {
      const results = [];
      for (const { database } of opened)
        results.push(
          await migrateToLatest(database).then(
            () => 'migrated',
            (e: Error) => e.message,
          ),
        );
      expect(results).toEqual(opened.map(() => 'migrated'));
    } finally {
      churning = false;
      await churn;
      await churner.end();
      for (const { database, drop } of opened) {
        await drop();
        await database.db.destroy();
      }
    }
  });
});
