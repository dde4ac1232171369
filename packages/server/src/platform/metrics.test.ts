import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('createMetrics', () => {
  it('keeps the default process series but none that walks every handle at each scrape', async () => {
    const { registry } = createMetrics();
    const text = await registry.metrics();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(text).not.toMatch(/^nodejs_active_(handles|requests|resources)/m);
  });

  it.skipIf(process.platform !== 'linux')('counts open file descriptors from /proc', async () => {
    const { registry } = createMetrics();
    const text = await registry.metrics();
    const open = Number(/^process_open_fds (\d+)/m.exec(text)?.[1]);
    // At least stdin, stdout and stderr.
    expect(open).toBeGreaterThanOrEqual(3);
  });
});
