import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { type JobsStore, jobsStore } from './db-store.js';
import type { JobsTable } from './jobs.tables.js';
import { jobRow as row } from './test-rows.js';

/** A claim in a write of its own, as the queue runs it in a group commit. */
const claim = (store: JobsStore, ...args: Parameters<JobsStore['claimIn']> extends [unknown, ...infer R] ? R : never) =>
  store.write((tx) => store.claimIn(tx, ...args));

describeStorage('job store: the claim', (ctx) => {
  it('takes due tasks of both waiting states in one order (priority, then due time, then age), and no other', async () => {
    const { database } = ctx().platform;
    const type = `claim.${randomUUID()}`;
    const id = (name: string) => `${name}-${randomUUID()}`;
    const [urgent, retry, old, young] = [id('urgent'), id('retry'), id('old'), id('young')];
    const [later, done, busy] = [id('later'), id('done'), id('busy')];
    await database.db
      .insertInto('jobs')
      .values([
        row(type, young, { createdAt: 300 }),
        row(type, old, { createdAt: 200 }),
        row(type, retry, { state: 'failed', runAt: 50, attempts: 1 }),
        row(type, urgent, { priority: 5, createdAt: 400, runAt: 400 }),
        row(type, later, { priority: 9, runAt: 10_000 }),
        row(type, done, { state: 'succeeded', priority: 9 }),
        row(type, busy, { state: 'running', priority: 9 }),
      ])
      .execute();
    const store = jobsStore(database);
    const first = await claim(store, 'w1', [type], 3, 1000, 60_000);
    expect(first.map((r) => r.id)).toEqual([urgent, retry, old]);
    expect(first.every((r) => r.state === 'running' && r.leaseOwner === 'w1')).toBe(true);
    const rest = await claim(store, 'w2', [type], 3, 1000, 60_000);
    expect(rest.map((r) => r.id)).toEqual([young]);
    expect(await claim(store, 'w3', [type], 3, 1000, 60_000)).toEqual([]);
  });

  it("takes the first due tasks in claim order, less those past their type's cap, which stay waiting", async () => {
    const { database } = ctx().platform;
    const backup = `claim.backup.${randomUUID()}`;
    const mail = `claim.mail.${randomUUID()}`;
    const id = (name: string) => `${name}-${randomUUID()}`;
    const backups = [id('b1'), id('b2'), id('b3')];
    const mails = [id('m1'), id('m2'), id('m3'), id('m4'), id('m5')];
    await database.db
      .insertInto('jobs')
      .values([
        ...backups.map((b, i) => row(backup, b, { priority: 5, createdAt: 100 + i })),
        ...mails.map((m, i) => row(mail, m, { createdAt: 200 + i })),
      ])
      .execute();
    const store = jobsStore(database);
    const claimIds = (types: string[], limit: number, caps: [string, number][]) =>
      claim(store, 'w1', types, limit, 1000, 60_000, new Map(caps)).then((rows) => rows.map((r) => r.id));
    // The first six in order are three backups and three mails; only one backup may start.
    expect(await claimIds([backup, mail], 6, [[backup, 1]])).toEqual([backups[0], mails[0], mails[1], mails[2]]);
    // A cap at or above the batch changes nothing.
    expect(await claimIds([backup, mail], 2, [[backup, 2]])).toEqual([backups[1], backups[2]]);
    expect(await claimIds([backup, mail], 4, [[mail, 1]])).toEqual([mails[3]]);
    expect(await claimIds([mail], 4, [])).toEqual([mails[4]]);
    expect(await claimIds([backup, mail], 4, [[backup, 1]])).toEqual([]);
  });
});

describeStorage('job store: the pending counts behind the submit limits', (ctx) => {
  it('follows every change of state: insert, claim, finish, fail, requeue, cancel, purge', async () => {
    const { database } = ctx().platform;
    const store = jobsStore(database);
    const [org, other] = [`org-${randomUUID()}`, `org-${randomUUID()}`];
    const [type, unlisted] = [`pending.${randomUUID()}`, `pending.${randomUUID()}`];
    const counts = () => store.countPending({ orgId: org, ownerId: 'me', types: [type] });
    // What the counts must be, read off the rows themselves.
    const truth = async () => {
      const rows = await database.db
        .selectFrom('jobs')
        .select(['ownerId'])
        .where('orgId', '=', org)
        .where('type', '=', type)
        .where('state', 'in', ['queued', 'running'])
        .execute();
      return { owner: rows.filter((r) => r.ownerId === 'me').length, org: rows.length };
    };
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const mine = (id: string, patch: Partial<JobsTable> = {}) =>
      row(type, id, { orgId: org, ownerId: 'me', createdAt: 100, ...patch });
    await database.db
      .insertInto('jobs')
      .values([
        mine(ids[0] as string),
        mine(ids[1] as string),
        mine(ids[2] as string, { state: 'running' }),
        mine(ids[3] as string, { ownerId: 'you' }),
        mine(ids[4] as string, { ownerId: null }),
        mine(ids[5] as string, { state: 'dead' }),
        // Another type, another org: never counted.
        mine(randomUUID(), { type: unlisted }),
        mine(randomUUID(), { orgId: other }),
      ])
      .execute();
    expect(await counts()).toEqual({ owner: 3, org: 5 });
    const setState = (id: string, state: JobsTable['state']) =>
      database.db.updateTable('jobs').set({ state }).where('id', '=', id).execute();
    const steps: [string, JobsTable['state']][] = [
      [ids[0] as string, 'running'], // claimed: still pending
      [ids[0] as string, 'succeeded'],
      [ids[1] as string, 'failed'],
      [ids[1] as string, 'queued'], // a retry
      [ids[5] as string, 'queued'], // redriven from the dead-letter queue
      [ids[3] as string, 'cancelled'],
      [ids[2] as string, 'dead'],
    ];
    for (const [id, state] of steps) {
      await setState(id, state);
      expect(await counts()).toEqual(await truth());
    }
    await database.db
      .deleteFrom('jobs')
      .where('id', 'in', [ids[1] as string, ids[4] as string])
      .execute();
    expect(await counts()).toEqual(await truth());
    expect(await counts()).toEqual({ owner: 1, org: 1 });
    expect(await store.countPending({ orgId: org, ownerId: 'me', types: [] })).toEqual({ owner: 0, org: 0 });
  });
});
