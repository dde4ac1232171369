import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFor } from '../../server/src/test/auth.js';
import { storageTargets } from '../../server/src/test/storage.js';
import { DEFAULT_TIMING } from './options.js';
import { manualSignal } from './signals.js';
import { ours, sleep, until, World } from './test/world.js';

const target = storageTargets[0];
if (!target) throw new Error('no storage target');

describe('HTTP fallback', () => {
  let world: World;
  beforeAll(async () => {
    world = await World.start(target);
  });
  afterAll(async () => world?.close());

  it('with production timings: activates within 15 s of a blocked socket, delivers everything, stops when the socket returns', async () => {
    const [admin, agent] = world.members as [(typeof world.members)[0], (typeof world.members)[0]];
    // The receiver runs the real timings (10 s stall detection, 3 s ± 400 ms polling); only the sender is fast.
    const rx = await world.client(agent, { timing: { ...DEFAULT_TIMING, telemetryIntervalMs: 0 } });
    const tx = await world.client(admin, { direct: true });
    await Promise.all([rx.client.ready, tx.client.ready]);
    await until('connected', () => rx.client.state === 'websocket');

    // The path goes dark: the live connection stays open but carries nothing, and new upgrades hang.
    world.proxy.blockWebSocket = true;
    world.proxy.freezeAll();
    const blockedAt = Date.now();
    for (let i = 0; i < 20; i++) tx.client.send(world.conversationId, `fb-${i}`);
    await until('fallback', () => rx.client.state === 'polling', 20_000, 50);
    const activationMs = Date.now() - blockedAt;
    console.log(`[sdk] fallback activated ${activationMs} ms after the socket was blocked`);
    expect(activationMs).toBeLessThan(15_000);
    expect(rx.client.telemetry.totals.fallback_activated).toBe(1);
    await until('delivered by polling', () => ours(rx, world.conversationId, 'fb-').length === 20, 10_000);
    expect(ours(rx, world.conversationId, 'fb-').map((m) => m.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `fb-${i}`),
    );

    // The socket comes back: the client returns to it and polling stops.
    world.proxy.blockWebSocket = false;
    await until('socket again', () => rx.client.state === 'websocket', 20_000, 50);
    expect(rx.client.internals.poller.started).toBe(false);
    const polls = rx.client.internals.poller.polls;
    tx.client.send(world.conversationId, 'fb-live');
    await until('live again', () => ours(rx, world.conversationId, 'fb-live').length === 1, 10_000);
    await sleep(3_500);
    expect(rx.client.internals.poller.polls).toBe(polls);
  }, 60_000);

  it('pauses polling while the page is hidden or offline and polls at once on return', async () => {
    const [, , supervisor] = world.members as [
      (typeof world.members)[0],
      (typeof world.members)[0],
      (typeof world.members)[0],
    ];
    const admin = world.members[0] as (typeof world.members)[0];
    const visible = manualSignal(true);
    const online = manualSignal(true);
    world.proxy.blockWebSocket = true;
    const rx = await world.client(supervisor, { environment: { visible, online } });
    const tx = await world.client(admin, { direct: true });
    await Promise.all([rx.client.ready, tx.client.ready]);
    await until('fallback', () => rx.client.state === 'polling', 20_000);
    await until('polling', () => rx.client.internals.poller.polls >= 2);
    // Never had a socket, yet present: the fallback sends presence heartbeats over REST.
    const token = (await sessionFor(world.platform, admin)).accessToken;
    const presence = await world.app.inject({
      method: 'GET',
      url: `/api/v1/online-status/${supervisor.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(presence.json().status).not.toBe('offline');

    visible.set(false);
    await sleep(50); // a poll already on the wire may finish
    const hiddenPolls = rx.client.internals.poller.polls;
    tx.client.send(world.conversationId, 'hidden-1');
    await sleep(800); // > 5 polling intervals of the test timing
    expect(rx.client.internals.poller.polls).toBe(hiddenPolls);
    expect(rx.client.internals.poller.paused).toBe(true);
    expect(ours(rx, world.conversationId, 'hidden-')).toEqual([]);

    visible.set(true);
    await until('polled on return', () => ours(rx, world.conversationId, 'hidden-').length === 1, 2_000);

    online.set(false);
    await sleep(50);
    const offlinePolls = rx.client.internals.poller.polls;
    await sleep(600);
    expect(rx.client.internals.poller.polls).toBe(offlinePolls);
    online.set(true);
    await until('polled when online', () => rx.client.internals.poller.polls > offlinePolls, 2_000);
    world.proxy.blockWebSocket = false;
  });
});
