import { type Task, TaskStateSchema } from '@switchboard/protocol';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { FINAL_STATES, type JobQueue } from './queue.js';

/**
 * Task queue series: `tasks_current{state}` (queue depth = queued, plus running, failed-awaiting-retry,
 * dead…) read from the database at scrape time, and `tasks_finished_total` / `task_duration_seconds`
 * (first start → final state) by type and outcome, from the queue's own events.
 */
export function registerJobMetrics(registry: Registry, queue: JobQueue): void {
  new Gauge({
    name: 'tasks_current',
    help: 'Tasks in each state now, all orgs (queued = queue depth; dead = dead-letter queue)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await queue.countByState();
      for (const state of TaskStateSchema.options) this.set({ state }, counts[state] ?? 0);
    },
  });
  const finished = new Counter({
    name: 'tasks_finished_total',
    help: 'Tasks that reached a final state on this node, by type and state',
    labelNames: ['type', 'state'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'task_duration_seconds',
    help: 'From first start to final state, by type and state',
    labelNames: ['type', 'state'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  queue.on('updated', (task: Task) => {
    if (!FINAL_STATES.includes(task.state)) return;
    finished.inc({ type: task.type, state: task.state });
    if (task.startedAt !== null && task.finishedAt !== null) {
      duration.observe({ type: task.type, state: task.state }, (task.finishedAt - task.startedAt) / 1000);
    }
  });
}
