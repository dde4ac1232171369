import { Counter, Histogram, type Registry } from 'prom-client';

/** The contact center's outcome series, registered once per registry (several apps may share one). */
export function outcomeMetrics(registry: Registry) {
  const outcomesTotal =
    (registry.getSingleMetric('ai_outcomes_total') as Counter<string> | undefined) ??
    new Counter({
      name: 'ai_outcomes_total',
      help: 'Contact-center outcomes (auto_sent, approved, edited, rejected, escalated, handed_off, resolved, csat…)',
      labelNames: ['kind'],
      registers: [registry],
    });
  const outcomeLatency =
    (registry.getSingleMetric('ai_outcome_latency_seconds') as Histogram<string> | undefined) ??
    new Histogram({
      name: 'ai_outcome_latency_seconds',
      help: 'Time an outcome took, by kind: customer message → AI answer or approval item; item → decision',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 3, 10, 30, 120, 600],
      registers: [registry],
    });
  return { outcomesTotal, outcomeLatency };
}
