import { randomUUID } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { jobRow } from '../jobs/test-rows.js';
import { writeBatcher } from './write-batcher.js';

describeStorage('write batcher (group commit)', (ctx) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const setup = () => {
    const { db, transaction } = ctx().platform.database;
    // The batcher's database, with its own hold (none unless a test sets one) and its transactions counted.
    let hold: Promise<void> | undefined;
    const database = { db, transaction, checkpointHold: () => hold };
    const transactions = vi.spyOn(database, 'transaction');
    const holdUntil = (released: Promise<void>) => {
      hold = released.then(() => {
        hold = undefined;
      });
    };
    const type = `wb.${randomUUID()}`;
    const insert = (n: number) => (tx: typeof db) =>
      tx
        .insertInto('jobs')
        .values(jobRow(type, `${type}-${n}`))
        .returning('id')
        .executeTakeFirstOrThrow()
        .then((r) => r.id);
    const ids = () =>
      db
        .selectFrom('jobs')
        .select('id')
        .where('type', '=', type)
        .orderBy('id')
        .execute()
        .then((rows) => rows.map((r) => r.id));
    return { db, database, transactions, holdUntil, type, insert, ids };
  };

  it('runs the writes of one turn in one transaction, each resolving with its own result', async () => {
    const { database, transactions, type, insert, ids } = setup();
    const writes = writeBatcher(database);
    const results = await Promise.all([1, 2, 3, 4].map((n) => writes.run(insert(n))));
    expect(results).toEqual([1, 2, 3, 4].map((n) => `${type}-${n}`));
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(await ids()).toEqual(results);
  });

  it('waits for a checkpoint hold before its commit; the writes queued meanwhile go together after it', async () => {
    const { database, transactions, holdUntil, type, insert, ids } = setup();
    let release = () => {};
    holdUntil(
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    const writes = writeBatcher(database);
    const done: string[] = [];
    const pending = [1, 2].map((n) => writes.run(insert(n)).then((id) => done.push(id)));
    await new Promise((r) => setTimeout(r, 20));
    pending.push(writes.run(insert(3)).then((id) => done.push(id)));
    await new Promise((r) => setTimeout(r, 20));
    expect([done, await ids(), transactions.mock.calls.length]).toEqual([[], [], 0]);
    release();
    await Promise.all(pending);
    expect(done).toEqual([1, 2, 3].map((n) => `${type}-${n}`));
    expect(transactions).toHaveBeenCalledTimes(1);
  });

  it('runs a lone write without a transaction, and writes queued during a commit in the next batch', async () => {
    const { database, transactions, type, insert, ids } = setup();
    const writes = writeBatcher(database);
    expect(await writes.run(insert(1))).toBe(`${type}-1`);
    expect(transactions).not.toHaveBeenCalled();
    const first = [2, 3].map((n) => writes.run(insert(n)));
    // Queued once the first batch has started: they wait for its commit and go together after it.
    await vi.waitFor(() => expect(transactions).toHaveBeenCalledTimes(1));
    const second = [4, 5].map((n) => writes.run(insert(n)));
    await Promise.all([...first, ...second]);
    expect(transactions).toHaveBeenCalledTimes(2);
    expect(await ids()).toEqual([1, 2, 3, 4, 5].map((n) => `${type}-${n}`));
  });

  it('fails only the write that failed: its neighbours run again on their own and commit', async () => {
    const { database, type, insert, ids } = setup();
    const writes = writeBatcher(database);
    await writes.run(insert(2));
    // The second insert repeats a primary key: it fails the batch, then alone.
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => writes.run(insert(n))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await ids()).toEqual([1, 2, 3].map((n) => `${type}-${n}`));
  });
});
