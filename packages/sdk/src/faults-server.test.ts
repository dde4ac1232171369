import { afterEach, describe, expect, it } from 'vitest';
import { storageTargets } from '../../server/src/test/storage.js';
import { runScenario } from './test/scenario.js';
import { ours, sleep, until, World } from './test/world.js';

/**
 * Server restarts and a network that only lets plain HTTP through, 1,000 sends per scenario: every member
 * ends with every message exactly once, in order, nothing left `sending`.
 */
for (const target of storageTargets) {
  describe(`reliable sending across server restarts and blocked WebSockets [${target.dialect}]`, {
    timeout: 180_000,
  }, () => {
    let world: World | undefined;
    afterEach(async () => {
      await world?.close();
      world = undefined;
    });

    it('restarts the server mid-stream (twice)', async () => {
      world = await World.start(target);
      const w = world;
      let restarts = 0;
      const { sender, receivers, elapsedMs } = await runScenario(w, {
        prefix: 'restart',
        async chaos({ sender }) {
          for (const at of [200, 500]) {
            await until(`${at} sent`, () =>
              ours(sender(), w.conversationId, 'restart').some((m) => m.seq !== null && m.text === `restart-0${at}`),
            );
            await w.restart();
            restarts++;
          }
        },
      });
      console.log(`[sdk] restart: ${restarts} restarts, ${elapsedMs} ms, telemetry`, sender.client.telemetry.totals);
      expect(restarts).toBe(2);
      for (const c of [sender, ...receivers])
        expect(c.client.telemetry.totals.reconnect_attempt).toBeGreaterThanOrEqual(2);
    });

    it('black-holes WebSocket upgrades: polls and sends over HTTP, then returns to the socket', async () => {
      world = await World.start(target);
      const w = world;
      w.proxy.blockWebSocket = true;
      const { sender, receivers, elapsedMs } = await runScenario(w, {
        prefix: 'nows',
        async chaos({ sender, receivers }) {
          // 300 messages go while only HTTP works, then WebSocket comes back under the traffic.
          await until(
            '300 sent over HTTP',
            () => ours(sender(), w.conversationId, 'nows').filter((m) => m.seq !== null).length >= 300,
          );
          for (const c of [sender(), ...receivers]) expect(c.client.state).toBe('polling');
          w.proxy.blockWebSocket = false;
        },
      });
      const everyone = [sender, ...receivers];
      console.log(`[sdk] no-websocket: ${elapsedMs} ms, ${w.proxy.blackholed} upgrades black-holed`);
      expect(w.proxy.blackholed).toBeGreaterThanOrEqual(9);
      for (const c of everyone) {
        expect(c.client.telemetry.totals.fallback_activated).toBeGreaterThanOrEqual(1);
        expect(c.client.internals.poller.polls).toBeGreaterThan(0);
      }
      // The socket recovered: every client left polling.
      await until('back on the socket', () => everyone.every((c) => c.client.state === 'websocket'));
      for (const c of everyone) expect(c.client.internals.poller.started).toBe(false);
      const polls = everyone.map((c) => c.client.internals.poller.polls);
      await sleep(500);
      expect(everyone.map((c) => c.client.internals.poller.polls)).toEqual(polls);
    });
  });
}
