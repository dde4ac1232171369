import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { jobsStore } from './db-store.js';
import type { JobsTable } from './jobs.tables.js';

describeStorage('job store: the claim', (ctx) => {
  it('takes due tasks of both waiting states in one order (priority, then due time, then age), and no other', async () => {
    const { database } = ctx().platform;
    const type = `claim.${randomUUID()}`;
    const row = (id: string, patch: Partial<JobsTable>): JobsTable => ({
      id,
      type,
      orgId: null,
      ownerId: null,
      idempotencyKey: null,
      dedupeKey: null,
      state: 'queued',
      priority: 0,
      payload: '{}',
      progressPercent: 0,
      progressMessage: null,
      result: null,
      error: null,
      attempts: 0,
      maxAttempts: 3,
      timeoutMs: 1000,
      runAt: 100,
      leaseOwner: null,
      leaseExpiresAt: null,
      createdAt: 100,
      updatedAt: 100,
      startedAt: null,
      finishedAt: null,
      ...patch,
    });
    const id = (name: string) => `${name}-${randomUUID()}`;
    const [urgent, retry, old, young] = [id('urgent'), id('retry'), id('old'), id('young')];
    const [later, done, busy] = [id('later'), id('done'), id('busy')];
    await database.db
      .insertInto('jobs')
      .values([
        row(young, { createdAt: 300 }),
        row(old, { createdAt: 200 }),
        row(retry, { state: 'failed', runAt: 50, attempts: 1 }),
        row(urgent, { priority: 5, createdAt: 400, runAt: 400 }),
        row(later, { priority: 9, runAt: 10_000 }),
        row(done, { state: 'succeeded', priority: 9 }),
        row(busy, { state: 'running', priority: 9 }),
      ])
      .execute();
    const store = jobsStore(database);
    const first = await store.claim('w1', [type], 3, 1000, 60_000);
    expect(first.map((r) => r.id)).toEqual([urgent, retry, old]);
    expect(first.every((r) => r.state === 'running' && r.leaseOwner === 'w1')).toBe(true);
    const rest = await store.claim('w2', [type], 3, 1000, 60_000);
    expect(rest.map((r) => r.id)).toEqual([young]);
    expect(await store.claim('w3', [type], 3, 1000, 60_000)).toEqual([]);
  });
});
