import { Gauge, type Registry } from 'prom-client';
import type { PresenceStore } from './store.js';

/** `messenger_connected_users`: people with at least one live device, counted from the store at scrape time. */
export function registerPresenceMetrics(registry: Registry, store: PresenceStore): void {
  new Gauge({
    name: 'messenger_connected_users',
    help: 'Users with at least one connected device (socket or heartbeating HTTP client)',
    registers: [registry],
    async collect() {
      this.set(await store.countConnected());
    },
  });
}
