import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
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
