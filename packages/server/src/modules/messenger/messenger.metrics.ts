import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * `messenger_messages_total{result}` (created / duplicate) and `messenger_message_send_duration_seconds`
 * (send call → commit → result, i.e. what the ack waits for). Shared by every messenger service instance
 * of one app, so they are looked up before being created.
 */
export function messengerMetrics(registry: Registry) {
  const messages =
    (registry.getSingleMetric('messenger_messages_total') as Counter<'result'> | undefined) ??
    new Counter({
      name: 'messenger_messages_total',
      help: 'Message sends answered, by result: created (stored now) or duplicate (a retry of a stored one)',
      labelNames: ['result'],
      registers: [registry],
    });
  const sendDuration =
    (registry.getSingleMetric('messenger_message_send_duration_seconds') as Histogram | undefined) ??
    new Histogram({
      name: 'messenger_message_send_duration_seconds',
      help: 'From a send reaching the service to its commit (what the ack waits for)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  return { messages, sendDuration };
}
