import { randomUUID } from 'node:crypto';
import type { Task } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeStorage } from '../../test/storage.js';
import { sleep, until } from '../../test/waits.js';
import { systemClock } from '../platform.js';
import { backoffDelay } from './backoff.js';
import { benchQueue } from './bench.js';
import { jobQueueConformance } from './conformance.js';
import { createDbJobQueue } from './db-queue.js';
import { nextFire } from './schedule.js';
import { READY_WAIT_MS } from './worker-slots.js';

describeStorage('job queue conformance: database backend', (ctx) =>
  jobQueueConformance((tuning) => createDbJobQueue(ctx().platform.database, systemClock, tuning)),
);

describeStorage('job queue bench entry point', (ctx) => {
  it('pushes tasks through a started queue and reports throughput and latency', async () => {
    const queue = createDbJobQueue(ctx().platform.database, systemClock, { pollIntervalMs: 20 });
    await queue.start();
    try {
      const r = await benchQueue(queue, 50);
      expect(r.tasks).toBe(50);
      expect(r.submitToDone.p50).toBeLessThanOrEqual(r.submitToDone.max);
      expect(r.perSecond).toBeGreaterThan(0);
    } finally {
      await queue.stop();
    }
  });
});

describe('backoff and schedule', () => {
  it('grows exponentially with jitter between half and the full step, capped', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(200);
    expect(backoffDelay(20, 100, 10_000, () => 1)).toBe(10_000);
  });

  it('computes the next cron tick in UTC and refuses a malformed expression', () => {
    const t = Date.UTC(2024, 0, 1, 10, 7, 30);
    expect(nextFire('0 * * * *', t)).toBe(Date.UTC(2024, 0, 1, 11, 0, 0));
    expect(() => nextFire('not a cron', t)).toThrow();
  });
});

describeStorage('database queue: starting a task in its submit', (ctx) => {
  it('starts a task at once when a slot is free, and watchers still see queued, then running', async () => {
    // A poll interval far beyond the test: only the submit itself can start the task.
    const queue = createDbJobQueue(ctx().platform.database, systemClock, { pollIntervalMs: 60_000 });
    const type = `direct.${randomUUID()}`;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const warm = `${type}.warm`;
    queue.register({ type, schema: z.object({}), handler: () => gate.then(() => 'ok') });
    queue.register({ type: warm, schema: z.object({}), handler: async () => 'ok' });
    await queue.start();
    try {
      // A first task goes through a claim: until a claim has found nothing left behind, submits only queue.
      const first = await queue.submit({ type: warm });
      await until('the first task', async () => (await queue.get(first.task.id))?.state === 'succeeded');
      const seen: string[] = [];
      queue.on('updated', (t) => t.type === type && seen.push(t.state));
      const { task } = await queue.submit({ type });
      expect(task).toMatchObject({ state: 'running', attempts: 1 });
      expect(seen).toEqual(['queued', 'running']);
      release();
      await until('the task', async () => (await queue.get(task.id))?.state === 'succeeded');
      expect(seen).toEqual(['queued', 'running', 'succeeded']);
    } finally {
      await queue.stop();
    }
  });

  it('keeps a capped type within its concurrency when many submits arrive at once', async () => {
    const queue = createDbJobQueue(ctx().platform.database, systemClock, { pollIntervalMs: 20, concurrency: 8 });
    const type = `capped.${randomUUID()}`;
    let live = 0;
    let peak = 0;
    queue.register({
      type,
      schema: z.object({}),
      concurrency: 2,
      handler: async () => {
        peak = Math.max(peak, ++live);
        await sleep(20); // each task holds its slot a moment, so the submits below overlap them
        live--;
      },
    });
    await queue.start();
    try {
      const first = await queue.submit({ type });
      await until('the first task', async () => (await queue.get(first.task.id))?.state === 'succeeded');
      const submitted = await Promise.all(Array.from({ length: 20 }, () => queue.submit({ type })));
      // None of the type's handlers runs when their write runs: all start in it, and wait for the two slots.
      expect(submitted.every((s) => s.task.state === 'running')).toBe(true);
      // One runs now: a submit gets no room beyond the free slots, and queues.
      const late = await queue.submit({ type });
      expect(late.task.state).toBe('queued');
      submitted.push(late);
      for (const { task } of submitted)
        await until('all tasks', async () => (await queue.get(task.id))?.state === 'succeeded');
      expect(peak).toBe(2);
    } finally {
      await queue.stop();
    }
  });

  /** A started queue of 4 slots, warmed up, with a type of one slot whose handler gets a gate to wait on. */
  async function oneSlotQueue(handler: (n: number, gate: Promise<void>) => Promise<void>) {
    const queue = createDbJobQueue(ctx().platform.database, systemClock, { pollIntervalMs: 60_000, concurrency: 4 });
    const type = `one-slot.${randomUUID()}`;
    const warm = `${type}.warm`;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    queue.register({ type: warm, schema: z.object({}), handler: async () => 'ok' });
    queue.register({ type, schema: z.object({ n: z.number() }), concurrency: 1, handler: ({ n }) => handler(n, gate) });
    await queue.start();
    // A first task goes through a claim: until a claim has found nothing left behind, submits only queue.
    const w = await queue.submit({ type: warm });
    await until('the warm-up task', async () => (await queue.get(w.task.id))?.state === 'succeeded');
    return { queue, open, submit: (n: number) => queue.submit({ type, payload: { n } }) };
  }

  it('gives a started task back to the queue when its slot stays taken, and runs it later', async () => {
    const ran: string[] = [];
    const { queue, open, submit } = await oneSlotQueue(async (n, gate) => {
      ran.push(`start ${n}`);
      await gate;
      ran.push(`end ${n}`);
    });
    try {
      // Submitted in one turn: both are started in one write, the second beyond the one slot, and it waits.
      const [first, second] = await Promise.all([submit(1), submit(2)]);
      expect([first.task.state, second.task.state]).toEqual(['running', 'running']);
      await sleep(READY_WAIT_MS + 100);
      expect(ran).toEqual(['start 1']);
      // Its slot stayed taken: it is queued again, the attempt not counted.
      expect(await queue.get(second.task.id)).toMatchObject({ state: 'queued', attempts: 0, startedAt: null });
      const waitedUntil = Date.now();
      open();
      for (const id of [first.task.id, second.task.id])
        await until('both tasks', async () => (await queue.get(id))?.state === 'succeeded');
      expect(ran).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
      expect((await queue.get(second.task.id))?.startedAt).toBeGreaterThanOrEqual(waitedUntil);
    } finally {
      await queue.stop();
    }
  });

  it('records when a started task got its slot, and never runs one cancelled while it waited', async () => {
    const ran: number[] = [];
    const { queue, open, submit } = await oneSlotQueue(async (n, gate) => {
      ran.push(n);
      if (n === 1) await gate;
    });
    try {
      const [first, second] = await Promise.all([submit(1), submit(2)]);
      // The first one runs now: a third gets no room beyond the one slot, and queues.
      const third = await submit(3);
      expect([first, second, third].map((s) => s.task.state)).toEqual(['running', 'running', 'queued']);
      await queue.cancel(second.task.id);
      await sleep(50);
      const opened = Date.now();
      open();
      for (const id of [first.task.id, third.task.id])
        await until('the other tasks', async () => (await queue.get(id))?.state === 'succeeded');
      expect(ran).toEqual([1, 3]);
      expect(await queue.get(second.task.id)).toMatchObject({ state: 'cancelled' });
      expect((await queue.get(third.task.id))?.startedAt).toBeGreaterThanOrEqual(opened);
    } finally {
      await queue.stop();
    }
  });

  it('frees a slot when the handler settles, before the outcome is written', async () => {
    const queue = createDbJobQueue(ctx().platform.database, systemClock, { pollIntervalMs: 60_000, concurrency: 1 });
    const type = `release.${randomUUID()}`;
    const warm = `${type}.warm`;
    let next: Promise<{ task: Task }> | undefined;
    queue.register({ type: warm, schema: z.object({}), handler: async () => 'ok' });
    queue.register({
      type,
      schema: z.object({ first: z.boolean().default(false) }),
      handler: async ({ first }) => {
        // Submitted on the turn after this handler returns: the first task's end write has not committed yet.
        if (first) setImmediate(() => (next = queue.submit({ type })));
        return 'ok';
      },
    });
    await queue.start();
    try {
      const w = await queue.submit({ type: warm });
      await until('the warm-up task', async () => (await queue.get(w.task.id))?.state === 'succeeded');
      const first = await queue.submit({ type, payload: { first: true } });
      await until('the second submit', () => next !== undefined);
      const second = await (next as Promise<{ task: Task }>);
      // The only slot was free again: the second task started in its own submit instead of queueing.
      expect(second.task).toMatchObject({ state: 'running', attempts: 1 });
      for (const id of [first.task.id, second.task.id])
        await until('both tasks', async () => (await queue.get(id))?.state === 'succeeded');
    } finally {
      await queue.stop();
    }
  });
});
