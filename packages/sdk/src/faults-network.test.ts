import { afterEach, describe, expect, it } from 'vitest';
import { storageTargets } from '../../server/src/test/storage.js';
import { memoryOutboxStore } from './outbox-store.js';
import { runScenario } from './test/scenario.js';
import { sleep, until, World } from './test/world.js';

/**
 * Fault injection through the TCP proxy, 1,000 sends per scenario: every member ends with every message
 * exactly once, in order, nothing left `sending`.
 */
for (const target of storageTargets) {
  describe(`reliable sending under network faults [${target.dialect}]`, { timeout: 180_000 }, () => {
    let world: World | undefined;
    afterEach(async () => {
      await world?.close();
      world = undefined;
    });

    it('drops every connection again and again mid-send', async () => {
      world = await World.start(target);
      const w = world;
      let drops = 0;
      const { sender, receivers, elapsedMs } = await runScenario(w, {
        prefix: 'drop',
        async chaos({ draining, sender }) {
          // Paced by progress, not by the clock: a drop after every 60–140 acknowledged sends, so the number of
          // drops mid-send does not depend on how fast this machine happens to be.
          let next = 0;
          while (draining()) {
            next += 60 + Math.floor(Math.random() * 80);
            const acked = () => sender().client.telemetry.totals.send_success >= next;
            await until('more acknowledged sends', () => acked() || !draining(), 60_000, 5);
            if (!draining()) break;
            w.proxy.dropAll();
            drops++;
          }
        },
      });
      console.log(`[sdk] drop: ${drops} drops, ${elapsedMs} ms, telemetry`, sender.client.telemetry.totals);
      expect(drops).toBeGreaterThan(5);
      expect(sender.client.telemetry.totals.reconnect_attempt).toBeGreaterThan(5);
      expect(sender.client.telemetry.totals.send_success).toBe(1000);
      for (const r of receivers) expect(r.client.telemetry.totals.reconnect_attempt).toBeGreaterThan(5);
    });

    it('delays acks past the send timeout', async () => {
      world = await World.start(target);
      const w = world;
      let windows = 0;
      const { sender, elapsedMs } = await runScenario(w, {
        prefix: 'slow',
        async chaos({ draining }) {
          while (draining() && windows < 3) {
            w.proxy.latencyMs = 700; // > sendTimeoutMs (400): the ack of every attempt in this window is late
            windows++;
            await sleep(500);
            w.proxy.latencyMs = 0;
            await sleep(300);
          }
        },
        heal: () => {
          w.proxy.latencyMs = 0;
        },
      });
      const t = sender.client.telemetry.totals;
      console.log(`[sdk] slow acks: ${windows} windows, ${elapsedMs} ms, telemetry`, t);
      expect(t.send_timeout).toBeGreaterThan(0);
      expect(t.send_success).toBe(1000);
    });

    it('restores the outbox after a reload mid-stream without a single duplicate', async () => {
      world = await World.start(target);
      const w = world;
      const store = memoryOutboxStore();
      const { sender, elapsedMs } = await runScenario(w, {
        prefix: 'reload',
        store,
        reloadAfter: 300,
        async chaos({ draining }) {
          // Connections also drop around the reload, so some sends are in flight when the page goes away.
          while (draining()) {
            await sleep(150 + Math.random() * 150);
            w.proxy.dropAll();
          }
        },
      });
      console.log(`[sdk] reload: ${elapsedMs} ms; new client sent`, sender.client.telemetry.totals.send_success);
      expect(await store.load()).toEqual([]);
      // The reloaded client finished what the first one left: it really had work to resume.
      expect(sender.client.telemetry.totals.send_success).toBeGreaterThan(0);
    });
  });
}
