import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it, vi } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import type { JobsTable } from '../jobs/jobs.tables.js';
import { jobRow } from '../jobs/test-rows.js';
import { compiledInsert, compiledQuery, inList } from './compiled-query.js';

type State = JobsTable['state'];

const newRow = (type: string, n: number, patch: Partial<JobsTable> = {}): JobsTable =>
  jobRow(type, `${type}-${n}`, { payload: `{"n":${n}}`, runAt: n, createdAt: n, updatedAt: n, ...patch });

const insertJobs = compiledQuery((db, v: { rows: JobsTable[] }) => db.insertInto('jobs').values(v.rows));
const insertJobRows = compiledInsert((db, rows: JobsTable[]) => db.insertInto('jobs').values(rows));
const ofType = compiledQuery((db, v: { type: string; states: State[] }) =>
  db
    .selectFrom('jobs')
    .select(['id', 'type', 'state', 'payload', 'runAt', 'result'])
    .where('type', '=', v.type)
    .where('state', 'in', v.states)
    .orderBy('runAt'),
);
const setResult = compiledQuery((db, v: { id: string; result: string | null; runAt: number }) =>
  db
    .updateTable('jobs')
    .set({ result: v.result, runAt: sql<number>`cast(${v.runAt} as bigint)` })
    .where('id', '=', v.id)
    .returning(['id', 'result', 'runAt']),
);

describeStorage('compiled queries', (ctx) => {
  it('run one compiled query with each call’s values, inside and outside a transaction', async () => {
    const { db } = ctx().platform.database;
    const type = `cq.${randomUUID()}`;
    await insertJobs(db, { rows: [newRow(type, 1)] });
    await db.transaction().execute((trx) => insertJobs(trx, { rows: [newRow(type, 2, { state: 'failed' })] }));
    const queued = await ofType(db, { type, states: ['queued'] });
    expect(queued).toEqual([{ id: `${type}-1`, type, state: 'queued', payload: '{"n":1}', runAt: 1, result: null }]);
    const both = await ofType(db, { type, states: ['queued', 'failed'] });
    expect(both.map((r) => r.id)).toEqual([`${type}-1`, `${type}-2`]);
    // The same shape with other values, and null where a string was.
    expect(await setResult(db, { id: `${type}-2`, result: 'done', runAt: 7 })).toEqual([
      { id: `${type}-2`, result: 'done', runAt: 7 },
    ]);
    expect(await setResult(db, { id: `${type}-1`, result: null, runAt: 9 })).toEqual([
      { id: `${type}-1`, result: null, runAt: 9 },
    ]);
    expect((await ofType(db, { type, states: ['failed'] }))[0]?.result).toBe('done');
  });

  it('inside a SQLite transaction, run the statement without Kysely and return the rows Kysely would', async () => {
    const { db, dialect } = ctx().platform.database;
    const type = `cq.${randomUUID()}`;
    await insertJobs(db, { rows: [newRow(type, 1), newRow(type, 2, { state: 'failed', result: 'r2' })] });
    const viaKysely = await db
      .selectFrom('jobs')
      .select(['id', 'type', 'state', 'payload', 'runAt', 'result'])
      .where('type', '=', type)
      .orderBy('runAt')
      .execute();
    await db.transaction().execute(async (trx) => {
      const kyselyRuns = vi.spyOn(trx, 'executeQuery');
      expect(await ofType(trx, { type, states: ['queued', 'failed'] })).toEqual(viaKysely);
      expect(await setResult(trx, { id: `${type}-1`, result: 'in trx', runAt: 3 })).toEqual([
        { id: `${type}-1`, result: 'in trx', runAt: 3 },
      ]);
      expect(kyselyRuns).toHaveBeenCalledTimes(dialect === 'sqlite' ? 0 : 2);
      // A handle with other plugins than the database's keeps Kysely's path (its plugins may map the rows).
      const withOther = trx.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result });
      const otherRuns = vi.spyOn(withOther, 'executeQuery');
      expect(await ofType(withOther, { type, states: ['failed'] })).toHaveLength(1);
      expect(otherRuns).toHaveBeenCalledTimes(1);
    });
    // A failure inside the transaction takes the directly run write back with the rest.
    const failing = db.transaction().execute(async (trx) => {
      await setResult(trx, { id: `${type}-2`, result: 'lost', runAt: 4 });
      await insertJobs(trx, { rows: [newRow(type, 1)] }); // the same id again
    });
    await expect(failing).rejects.toThrow();
    const after = await ofType(db, { type, states: ['queued', 'failed'] });
    expect(after.map((r) => [r.id, r.result])).toEqual([
      [`${type}-2`, 'r2'],
      [`${type}-1`, 'in trx'],
    ]);
  });

  it('compile a new statement for a new shape: list lengths, row counts, keys left undefined', async () => {
    const { db } = ctx().platform.database;
    const type = `cq.${randomUUID()}`;
    await insertJobs(db, { rows: [1, 2, 3].map((n) => newRow(type, n)) });
    await insertJobs(db, { rows: [newRow(type, 4, { result: 'r4' })] });
    // An undefined column is left out of the insert: the table's default applies.
    await insertJobs(db, { rows: [{ ...newRow(type, 5), attempts: undefined as unknown as number }] });
    const all = await ofType(db, { type, states: ['queued', 'failed', 'running'] });
    expect(all.map((r) => r.runAt)).toEqual([1, 2, 3, 4, 5]);
    expect(all.map((r) => r.result)).toEqual([null, null, null, 'r4', null]);
    const attempts = await db.selectFrom('jobs').select('attempts').where('id', '=', `${type}-5`).executeTakeFirst();
    expect(attempts?.attempts).toBe(0);
  });

  it('insert many rows (one statement per row on SQLite); a failing row takes the earlier ones back', async () => {
    const { db } = ctx().platform.database;
    const type = `cq.${randomUUID()}`;
    await insertJobRows(db, []);
    await db.transaction().execute((trx) =>
      insertJobRows(
        trx,
        [1, 2, 3].map((n) => newRow(type, n)),
      ),
    );
    await insertJobRows(db, [newRow(type, 4, { result: 'r4' })]);
    expect((await ofType(db, { type, states: ['queued'] })).map((r) => [r.runAt, r.result])).toEqual([
      [1, null],
      [2, null],
      [3, null],
      [4, 'r4'],
    ]);
    // Row 6 repeats row 1's id: the statement for it fails after row 5's, and the transaction takes row 5 back.
    const failing = db
      .transaction()
      .execute((trx) => insertJobRows(trx, [newRow(type, 5), { ...newRow(type, 6), id: `${type}-1` }]));
    await expect(failing).rejects.toThrow();
    // Outside a transaction the rows are all or none too.
    await expect(insertJobRows(db, [newRow(type, 7), { ...newRow(type, 8), id: `${type}-2` }])).rejects.toThrow();
    expect((await ofType(db, { type, states: ['queued'] })).map((r) => r.runAt)).toEqual([1, 2, 3, 4]);
  });
});

it('pads an IN list to the next power of two with its last value', () => {
  expect(inList([])).toEqual([]);
  expect(inList(['a'])).toEqual(['a']);
  expect(inList(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
  expect(inList([1, 2, 3, 4, 5])).toEqual([1, 2, 3, 4, 5, 5, 5, 5]);
});
