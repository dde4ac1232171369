import { readdir } from 'node:fs/promises';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Default series that walk every open handle or file descriptor on the event loop at each scrape: with
 * thousands of sockets a scrape blocked the loop for ~10 ms (docs/performance.md). `socketio_connections`
 * counts the sockets; `process_open_fds` is registered again below, listed off the event loop.
 */
const PER_HANDLE_DEFAULTS = [
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'process_open_fds',
];

/** `process_open_fds` as prom-client has it on Linux, but the directory is read on libuv's thread pool. */
function openFdsGauge(registry: Registry): void {
  if (process.platform !== 'linux') return;
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers: [registry],
    async collect() {
      try {
        // Minus the descriptor the listing itself held open.
        this.set((await readdir('/proc/self/fd')).length - 1);
      } catch {
        // No /proc: the series keeps its last value.
      }
    },
  });
}

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
  for (const name of PER_HANDLE_DEFAULTS) registry.removeSingleMetric(name);
  openFdsGauge(registry);
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
