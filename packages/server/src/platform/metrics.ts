import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry and the series the core owns. Modules register their own series on
 * `registry` (one registry per app, so several apps in one test process never share counters).
 */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly errors: Counter<'code'>;
  readonly socketConnections: Gauge;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Process CPU, memory, GC and event-loop delay (nodejs_eventloop_lag_* and nodejs_eventloop_lag_p99_seconds).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'messenger_errors_total',
      help: 'Errors answered to clients (REST problem+json and socket acks), by error code',
      labelNames: ['code'],
      registers: [registry],
    }),
    socketConnections: new Gauge({
      name: 'socketio_connections',
      help: 'Socket.IO connections open on this node',
      registers: [registry],
    }),
  };
}
