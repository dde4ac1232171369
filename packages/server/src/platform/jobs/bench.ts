import { z } from 'zod';
import type { JobQueue } from './queue.js';

export interface QueueBenchResult {
  tasks: number;
  elapsedMs: number;
  perSecond: number;
  /** From `submit` to the task's `updated` event as succeeded, in ms. */
  submitToDone: { p50: number; p95: number; max: number };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/**
 * For the benchmark (issue 12): push `tasks` tasks of a fresh type (each waiting `workMs`) through a queue
 * the caller has started, and measure throughput and submit → `succeeded` event latency.
 */
export async function benchQueue(queue: JobQueue, tasks: number, workMs = 0): Promise<QueueBenchResult> {
  const type = `bench.noop${Date.now()}`;
  queue.register({ type, schema: z.object({}), handler: () => new Promise((r) => setTimeout(r, workMs)) });
  const submitted = new Map<string, number>();
  const early = new Map<string, number>();
  const latencies: number[] = [];
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((r) => {
    resolveAll = r;
  });
  const record = (ms: number) => {
    latencies.push(ms);
    if (latencies.length === tasks) resolveAll();
  };
  const off = queue.on('updated', (t) => {
    if (t.type !== type || t.state !== 'succeeded') return;
    const at = submitted.get(t.id);
    // A task can finish before its submit call returns its id.
    if (at === undefined) early.set(t.id, Date.now());
    else record(Date.now() - at);
  });
  const start = Date.now();
  await Promise.all(
    Array.from({ length: tasks }, async () => {
      const at = Date.now();
      const { task } = await queue.submit({ type });
      submitted.set(task.id, at);
      const done = early.get(task.id);
      if (done !== undefined) record(done - at);
    }),
  );
  await all;
  off();
  const elapsedMs = Date.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    tasks,
    elapsedMs,
    perSecond: Math.round((tasks * 1000) / Math.max(1, elapsedMs)),
    submitToDone: { p50: pct(latencies, 0.5), p95: pct(latencies, 0.95), max: latencies.at(-1) ?? 0 },
  };
}
