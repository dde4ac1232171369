import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { describeStorage } from '../../test/storage.js';
import { systemClock } from '../clock.js';
import { abandonedHere, newWorkerId } from './attempt.js';
import { createDbJobQueue } from './db-queue.js';
import { waitFor } from './test-waits.js';

/** The id of a process that has exited: its leases are a dead worker's. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

it('tells a dead predecessor on this host from a live process or another host', () => {
  const self = newWorkerId();
  expect(abandonedHere(`w-${os.hostname()}-${deadPid()}-0123abcd`, self)).toBe(true);
  expect(abandonedHere(`w-${os.hostname()}-${process.pid}-0123abcd`, self)).toBe(true);
  expect(abandonedHere(self, self)).toBe(false);
  expect(abandonedHere(`w-${os.hostname()}-${process.ppid}-0123abcd`, self)).toBe(false);
  expect(abandonedHere('w-some-other-host-42-0123abcd', self)).toBe(false);
  expect(abandonedHere('external', self)).toBe(false);
});

describeStorage('job queue: tasks of a dead process after a restart', (ctx) => {
  it('reclaims them at start instead of waiting out the lease, and a success carries no stale error', async () => {
    const { database } = ctx().platform;
    const type = `reclaim.${Math.random().toString(36).slice(2)}`;
    const before = createDbJobQueue(database, systemClock);
    const dead = (await before.submit({ type, payload: {} })).task.id;
    const alive = (await before.submit({ type, payload: {} })).task.id;
    const leaseUntil = Date.now() + 10 * 60_000;
    // As a killed process leaves them: running, leased for ten more minutes.
    const lease = (id: string, owner: string) =>
      database.db
        .updateTable('jobs')
        .set({ state: 'running', leaseOwner: owner, leaseExpiresAt: leaseUntil, attempts: 1, startedAt: Date.now() })
        .where('id', '=', id)
        .execute();
    await lease(dead, `w-${os.hostname()}-${deadPid()}-0123abcd`);
    // A worker elsewhere (another node, or any process not known to be dead) keeps its task.
    await lease(alive, 'w-another-node-4242-0123abcd');

    const queue = createDbJobQueue(database, systemClock, { pollIntervalMs: 20 });
    queue.register({ type, schema: z.object({}), handler: async () => ({ ok: true }) });
    await queue.start();
    try {
      const done = await waitFor(async () => {
        const t = await queue.get(dead);
        return t?.state === 'succeeded' ? t : undefined;
      });
      expect(done.attempts).toBe(2);
      expect(done.error ?? null).toBeNull();
      expect((await queue.get(alive))?.state).toBe('running');
      await database.db.deleteFrom('jobs').where('id', '=', alive).execute();
    } finally {
      await queue.stop();
    }
  });
});
