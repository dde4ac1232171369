import type { Task } from '@switchboard/protocol';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { type JobQueue, PermanentTaskError } from './queue.js';
import { aborted, sleep, waitFor } from './test-waits.js';

/** Tuning every backend understands; tests use short times so they run fast. */
export interface QueueTuning {
  workerId?: string;
  concurrency?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  stopGraceMs?: number;
  random?: () => number;
}

/** A new queue over the same shared store each call (several calls = several workers). */
export type QueueFactory = (tuning: QueueTuning) => JobQueue;

const FAST: QueueTuning = {
  pollIntervalMs: 20,
  leaseMs: 2000,
  backoffBaseMs: 20,
  backoffMaxMs: 1000,
  stopGraceMs: 200,
};
const Empty = z.object({}).passthrough();

/**
 * The behaviour every `JobQueue` backend must show. Call inside a `describe` with a factory that returns
 * a fresh queue over one shared, migrated store; each test uses its own task types, so they may share it.
 *
 * @example
 * ```ts
 * describeStorage('db job queue', (ctx) => jobQueueConformance((t) => createDbJobQueue(ctx().platform.database, systemClock, t)));
 * ```
 */
export function jobQueueConformance(factory: QueueFactory): void {
  const open: JobQueue[] = [];
  let n = 0;
  const typeName = (what: string) => `c${++n}.${what}`;
  const queue = async (tuning: QueueTuning = {}) => {
    const q = factory({ ...FAST, ...tuning });
    open.push(q);
    return q;
  };
  const state = async (q: JobQueue, id: string, s: Task['state']) => {
    const t = await q.get(id);
    return t?.state === s ? t : undefined;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.stop({ graceMs: 0 })));
  });

  it('runs a task to success with progress, pushing every change', async () => {
    const q = await queue();
    const type = typeName('ok');
    q.register({
      type,
      schema: z.object({ n: z.number() }),
      handler: async ({ n: x }, ctx) => {
        await ctx.progress(50, 'half');
        // A report the end overtakes is folded into it: give this one time to be written on its own.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { doubled: x * 2 };
      },
    });
    const seen: Task[] = [];
    q.on('updated', (t) => t.type === type && seen.push(t));
    await q.start();
    const { task, duplicate } = await q.submit({ type, payload: { n: 21 }, orgId: null });
    expect(duplicate).toBe(false);
    const done = await waitFor(() => state(q, task.id, 'succeeded'));
    expect(done).toMatchObject({ result: { doubled: 42 }, attempts: 1, progress: { percent: 100 }, error: null });
    expect(seen.map((t) => t.state)).toEqual(['queued', 'running', 'running', 'succeeded']);
    expect(seen[2]?.progress).toEqual({ percent: 50, message: 'half' });
  });

  it('writes the latest report of a turn only, and folds a report the end overtakes into the end', async () => {
    const q = await queue();
    const type = typeName('progress');
    q.register({
      type,
      schema: z.object({ fail: z.boolean() }),
      handler: async ({ fail }, ctx) => {
        // Three reports in one turn: only the last is written and pushed.
        await ctx.progress(10, 'a');
        await ctx.progress(20, 'b');
        await ctx.progress(30, 'c');
        await sleep(20);
        // Then one the end overtakes: it goes into the end's write.
        await ctx.progress(90, 'almost');
        if (fail) throw new PermanentTaskError('no');
        return 'ok';
      },
    });
    const seen = new Map<string, Task[]>();
    q.on('updated', (t) => t.type === type && seen.set(t.id, [...(seen.get(t.id) ?? []), t]));
    await q.start();
    const ok = (await q.submit({ type, payload: { fail: false } })).task.id;
    const bad = (await q.submit({ type, payload: { fail: true }, maxAttempts: 1 })).task.id;
    // The push of the end, not the row: another connection may read the committed row before it is pushed.
    for (const id of [ok, bad])
      await waitFor(() => ['succeeded', 'dead'].includes(seen.get(id)?.at(-1)?.state ?? ''), {
        what: 'the end to be pushed',
      });
    const pushes = (id: string) => (seen.get(id) ?? []).map((t) => [t.state, t.progress.percent, t.progress.message]);
    const start = [
      ['queued', 0, undefined],
      ['running', 0, undefined],
      ['running', 30, 'c'],
    ];
    expect(pushes(ok)).toEqual([...start, ['succeeded', 100, 'almost']]);
    expect(pushes(bad)).toEqual([...start, ['dead', 90, 'almost']]);
    expect((await q.get(ok))?.progress).toEqual({ percent: 100, message: 'almost' });
    expect((await q.get(bad))?.progress).toEqual({ percent: 90, message: 'almost' });
  });

  it('returns the same task for the same idempotency key and owner, a new one for another owner', async () => {
    const q = await queue();
    const type = typeName('idem');
    q.register({ type, schema: Empty, handler: async () => 'x' });
    const a = await q.submit({ type, idempotencyKey: 'k1', orgId: null, ownerId: null });
    const b = await q.submit({ type, idempotencyKey: 'k1', orgId: null, ownerId: null });
    expect(b).toMatchObject({ duplicate: true, task: { id: a.task.id } });
    const org = '00000000-0000-4000-8000-000000000001';
    const other = await q.submit({ type, idempotencyKey: 'k1', orgId: org, ownerId: org });
    expect(other.duplicate).toBe(false);
    expect(other.task.id).not.toBe(a.task.id);
  });

  it('rejects a payload that fails the handler schema at submit', async () => {
    const q = await queue();
    const type = typeName('schema');
    q.register({ type, schema: z.object({ n: z.number() }), handler: async () => null });
    await expect(q.submit({ type, payload: { n: 'no' } })).rejects.toThrow();
  });

  it('poison task: exactly maxAttempts attempts with growing delays, then dead, while healthy tasks flow', async () => {
    const q = await queue({ backoffBaseMs: 40, random: () => 0.5, concurrency: 4 });
    const poison = typeName('poison');
    const healthy = typeName('healthy');
    const attemptsAt: number[] = [];
    q.register({
      type: poison,
      schema: Empty,
      handler: async () => {
        attemptsAt.push(Date.now());
        throw new Error('always broken');
      },
    });
    q.register({ type: healthy, schema: Empty, handler: async () => 'fine' });
    const scheduled: number[] = [];
    q.on('updated', (t) => t.type === poison && t.state === 'failed' && scheduled.push(t.runAt - t.updatedAt));
    await q.start();
    const { task } = await q.submit({ type: poison, maxAttempts: 4 });
    const ok = await Promise.all(Array.from({ length: 20 }, () => q.submit({ type: healthy })));
    const dead = await waitFor(() => state(q, task.id, 'dead'));
    expect(dead).toMatchObject({ attempts: 4, error: { message: 'always broken' } });
    expect(attemptsAt).toHaveLength(4);
    expect(scheduled).toHaveLength(3);
    for (let i = 1; i < scheduled.length; i++) expect(scheduled[i]).toBeGreaterThan(scheduled[i - 1] as number);
    for (let i = 1; i < attemptsAt.length; i++) {
      expect((attemptsAt[i] as number) - (attemptsAt[i - 1] as number)).toBeGreaterThanOrEqual(
        (scheduled[i - 1] as number) - 5,
      );
    }
    for (const { task: t } of ok) expect((await q.get(t.id))?.state).toBe('succeeded');
  });

  it('dead-letters at once on a permanent error', async () => {
    const q = await queue();
    const type = typeName('perm');
    q.register({
      type,
      schema: Empty,
      handler: async () => {
        throw new PermanentTaskError('bad input', 'bad_input');
      },
    });
    await q.start();
    const { task } = await q.submit({ type, maxAttempts: 5 });
    expect(await waitFor(() => state(q, task.id, 'dead'))).toMatchObject({ attempts: 1, error: { code: 'bad_input' } });
  });

  it('cancels a queued task (it never runs) and a running one (its signal fires, it ends cancelled)', async () => {
    const q = await queue();
    const type = typeName('cancel');
    let runs = 0;
    const reasons: string[] = [];
    q.register({
      type,
      schema: Empty,
      handler: async (_p, ctx) => {
        runs++;
        reasons.push((await aborted(ctx.signal)).reason);
        return 'ignored late result';
      },
    });
    await q.start();
    const later = await q.submit({ type, runAt: Date.now() + 60_000 });
    expect(await q.cancel(later.task.id)).toMatchObject({ state: 'cancelled' });
    const now = await q.submit({ type });
    await waitFor(() => state(q, now.task.id, 'running'));
    await q.cancel(now.task.id);
    await waitFor(() => reasons.length === 1);
    await sleep(50);
    expect(reasons).toEqual(['cancelled']);
    expect(runs).toBe(1);
    expect((await q.get(now.task.id))?.state).toBe('cancelled');
    await expect(q.cancel(now.task.id)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a cancel made on another worker (another node) reaches the running handler within a heartbeat', async () => {
    const type = typeName('remote-cancel');
    const runner = await queue({ workerId: 'runner', leaseMs: 600 });
    const other = await queue({ workerId: 'other', leaseMs: 600 });
    const reasons: string[] = [];
    runner.register({
      type,
      schema: Empty,
      handler: async (_p, ctx) => {
        reasons.push((await aborted(ctx.signal)).reason);
        return 'ignored late result';
      },
    });
    await runner.start();
    const { task } = await runner.submit({ type });
    await waitFor(() => state(runner, task.id, 'running'));
    expect(await other.cancel(task.id)).toMatchObject({ state: 'cancelled' });
    // The runner learns it from the shared store at its next lease renewal (≤ leaseMs / 2 here).
    await waitFor(() => reasons.length === 1, 5_000);
    expect(reasons).toEqual(['cancelled']);
    await sleep(100);
    expect(await runner.get(task.id)).toMatchObject({ state: 'cancelled' });
  });

  it('retries a dead task as a new attempt series; refuses to retry a succeeded one', async () => {
    const q = await queue();
    const type = typeName('retry');
    let fail = true;
    q.register({
      type,
      schema: Empty,
      handler: async () => {
        if (fail) throw new Error('not yet');
        return 'now ok';
      },
    });
    await q.start();
    const { task } = await q.submit({ type, maxAttempts: 2 });
    await waitFor(() => state(q, task.id, 'dead'));
    fail = false;
    expect(await q.retry(task.id)).toMatchObject({ state: 'queued', attempts: 0, error: null });
    expect(await waitFor(() => state(q, task.id, 'succeeded'))).toMatchObject({ attempts: 1, result: 'now ok' });
    await expect(q.retry(task.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(q.retry('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('times an attempt out: the signal fires with "timeout" and the attempt fails', async () => {
    const q = await queue();
    const type = typeName('slow');
    const reasons: string[] = [];
    q.register({
      type,
      schema: Empty,
      handler: async (_p, ctx) => {
        reasons.push((await aborted(ctx.signal)).reason);
      },
    });
    await q.start();
    const { task } = await q.submit({ type, timeoutMs: 50, maxAttempts: 1 });
    expect(await waitFor(() => state(q, task.id, 'dead'))).toMatchObject({ error: { code: 'timeout' } });
    expect(reasons).toEqual(['timeout']);
  });

  it('runs higher priority first and waits for runAt', async () => {
    const q = await queue({ concurrency: 1 });
    const type = typeName('prio');
    const order: string[] = [];
    q.register({ type, schema: z.object({ name: z.string() }), handler: async ({ name }) => void order.push(name) });
    await q.submit({ type, payload: { name: 'low' }, priority: -1 });
    await q.submit({ type, payload: { name: 'mid' } });
    await q.submit({ type, payload: { name: 'high' }, priority: 5 });
    const delayed = await q.submit({ type, payload: { name: 'delayed' }, priority: 10, runAt: Date.now() + 300 });
    await q.start();
    await waitFor(() => order.length === 3);
    expect(order).toEqual(['high', 'mid', 'low']);
    const done = await waitFor(() => state(q, delayed.task.id, 'succeeded'));
    expect(done.startedAt).toBeGreaterThanOrEqual(delayed.task.runAt);
  });

  it('takes over a task whose worker stopped renewing its lease; the stale worker cannot complete it', async () => {
    const type = typeName('lease');
    const runs: string[] = [];
    const hung = await queue({ workerId: 'hung', leaseMs: 100, heartbeatMs: 60_000, concurrency: 1 });
    let release: (() => void) | undefined;
    hung.register({
      type,
      schema: Empty,
      handler: async () => {
        runs.push('hung');
        await new Promise<void>((r) => (release = r));
        return 'stale';
      },
    });
    await hung.start();
    const { task } = await hung.submit({ type, maxAttempts: 3 });
    await waitFor(() => runs.length === 1);
    const healthy = await queue({ workerId: 'healthy' });
    healthy.register({
      type,
      schema: Empty,
      handler: async () => {
        runs.push('healthy');
        return 'fresh';
      },
    });
    await healthy.start();
    const done = await waitFor(() => state(healthy, task.id, 'succeeded'));
    expect(done).toMatchObject({ result: 'fresh', attempts: 2 });
    release?.();
    await sleep(50);
    expect((await healthy.get(task.id))?.result).toBe('fresh');
    expect(runs).toEqual(['hung', 'healthy']);
  });

  it('100 concurrent long tasks do not starve short ones', async () => {
    const q = await queue({ concurrency: 110 });
    const long = typeName('long');
    const short = typeName('short');
    let live = 0;
    let peak = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    q.register({
      type: long,
      schema: Empty,
      concurrency: 100,
      handler: async () => {
        peak = Math.max(peak, ++live);
        await gate;
        live--;
      },
    });
    q.register({ type: short, schema: Empty, handler: async () => 'quick' });
    await q.start();
    const longs = await Promise.all(Array.from({ length: 150 }, () => q.submit({ type: long })));
    await waitFor(() => live === 100);
    const shorts = await Promise.all(Array.from({ length: 30 }, () => q.submit({ type: short })));
    for (const s of shorts) await waitFor(() => state(q, s.task.id, 'succeeded'));
    expect(live).toBe(100);
    release();
    for (const l of longs) await waitFor(() => state(q, l.task.id, 'succeeded'));
    expect(peak).toBe(100);
  });

  it('stop() releases a task still running after the grace period; another worker finishes it', async () => {
    const type = typeName('stop');
    const first = await queue({ workerId: 'first' });
    first.register({ type, schema: Empty, handler: (_p, ctx) => aborted(ctx.signal).then(() => 'never') });
    await first.start();
    const { task } = await first.submit({ type });
    await waitFor(() => state(first, task.id, 'running'));
    await first.stop({ graceMs: 20 });
    expect(await first.get(task.id)).toMatchObject({ state: 'queued', attempts: 0 });
    const second = await queue({ workerId: 'second' });
    second.register({ type, schema: Empty, handler: async () => 'finished' });
    await second.start();
    expect(await waitFor(() => state(second, task.id, 'succeeded'))).toMatchObject({ attempts: 1 });
  });

  it('lists by owner and state with paging; redrives and purges dead tasks by type', async () => {
    const q = await queue();
    const type = typeName('admin');
    const owner = '00000000-0000-4000-8000-00000000000a';
    q.register({
      type,
      schema: z.object({ i: z.number() }),
      handler: async () => {
        throw new PermanentTaskError('no');
      },
    });
    for (let i = 0; i < 5; i++) await q.submit({ type, payload: { i }, orgId: owner, ownerId: owner });
    await q.start();
    await waitFor(async () => (await q.list({ ownerId: owner, state: 'dead' })).items.length === 5);
    const p1 = await q.list({ ownerId: owner, state: 'dead', limit: 3 });
    const p2 = await q.list({ ownerId: owner, state: 'dead', limit: 3, cursor: p1.nextCursor });
    expect(p1.items).toHaveLength(3);
    expect(p2.items).toHaveLength(2);
    expect(p2.nextCursor).toBeUndefined();
    expect(new Set([...p1.items, ...p2.items].map((t) => t.id)).size).toBe(5);
    expect(await q.redrive({ orgId: '00000000-0000-4000-8000-00000000000b', type })).toBe(0);
    expect(await q.redrive({ orgId: owner, ids: [p1.items[0]?.id as string] })).toBe(1);
    await waitFor(async () => (await q.list({ ownerId: owner, state: 'dead' })).items.length === 5);
    expect(await q.purge({ orgId: owner, type, state: 'dead' })).toBe(5);
    expect((await q.list({ ownerId: owner })).items).toHaveLength(0);
  });

  it('hands a deferred task to an external reporter; a missing report expires the lease and retries', async () => {
    const q = await queue();
    const type = typeName('ext');
    q.register({ type, schema: Empty, handler: async (_p, ctx) => ctx.defer(ctx.attempt === 1 ? 100 : 60_000) });
    await q.start();
    const { task } = await q.submit({ type, maxAttempts: 3 });
    // The first hand-off is never reported: its lease runs out and the task is retried.
    const second = await waitFor(async () => {
      const t = await q.get(task.id);
      return t?.state === 'running' && t.attempts === 2 ? t : undefined;
    });
    expect(second.error).toMatchObject({ code: 'lease_expired' });
    // `running` shows as soon as the attempt is claimed; reports are accepted once the handler's hand-off is
    // stored a moment later (a separate write), as an external worker would only hear of the task then.
    const working = { event: 'progress', progress: { percent: 30, message: 'working' } } as const;
    await waitFor(async () => (await q.report(task.id, working)) || undefined);
    expect((await q.get(task.id))?.progress).toEqual({ percent: 30, message: 'working' });
    expect(await q.report(task.id, { event: 'complete', result: { url: 'x' } })).toBe(true);
    expect(await q.get(task.id)).toMatchObject({ state: 'succeeded', result: { url: 'x' } });
    expect(await q.report(task.id, { event: 'complete' })).toBe(false);
  });

  it('fires a cron schedule once per tick across several workers', async () => {
    const type = typeName('cron');
    const ticks: number[] = [];
    const qs = [await queue(), await queue()];
    for (const q of qs) {
      q.register({ type, schema: Empty, handler: async () => void ticks.push(Date.now()) });
      q.schedule({ name: type, cron: '* * * * * *', type });
      await q.start();
    }
    await waitFor(() => ticks.length >= 2, 5000);
    const keys = (await qs[0]?.list({ type, orgId: null }))?.items.map((t) => t.idempotencyKey) ?? [];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => k?.startsWith(`schedule:${type}:`))).toBe(true);
  });
}
