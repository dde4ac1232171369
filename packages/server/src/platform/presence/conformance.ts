import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceStore, PresenceUser } from './store.js';

/**
 * The behaviour every PresenceStore must show. The memory store runs it always; the Redis store (cluster
 * issue) runs it when `REDIS_URL` is set. Each test uses fresh org and user ids, so a shared backend works.
 *
 * @example
 * ```ts
 * presenceStoreConformance('memory', async () => memoryPresenceStore());
 * ```
 */
export function presenceStoreConformance(name: string, create: () => Promise<PresenceStore>) {
  describe(`PresenceStore conformance: ${name}`, () => {
    let store: PresenceStore;
    beforeAll(async () => {
      store = await create();
    });
    afterAll(() => store.close());

    const user = (orgId = randomUUID()): PresenceUser => ({
      orgId,
      userId: randomUUID(),
      role: 'agent',
      username: 'Ada',
    });

    it('creates a record on first connect and keeps one entry per device', async () => {
      const u = user();
      const first = await store.connect(u, { id: 'a', kind: 'socket' }, 1000);
      expect(first).toMatchObject({ ...u, chosen: null, disconnectedAt: null, announced: null });
      expect(first.connections).toEqual([
        { id: 'a', kind: 'socket', connectedAt: 1000, lastActivity: 1000, lastHeartbeat: 1000 },
      ]);
      await store.connect(u, { id: 'b', kind: 'http' }, 2000);
      const again = await store.connect(u, { id: 'a', kind: 'socket' }, 3000);
      expect(again.connections.map((c) => c.id).sort()).toEqual(['a', 'b']);
      expect(again.connections.find((c) => c.id === 'a')).toMatchObject({ connectedAt: 1000, lastHeartbeat: 3000 });
    });

    it('starts a new record with the chosen status it is given', async () => {
      const u = user();
      expect(await store.connect(u, { id: 'a', kind: 'socket' }, 1000, 'busy')).toMatchObject({ chosen: 'busy' });
    });

    it('touch refreshes the heartbeat, and activity only when active', async () => {
      const u = user();
      await store.connect(u, { id: 'a', kind: 'socket' }, 1000);
      const beat = await store.touch(u.orgId, u.userId, 'a', 5000, false);
      expect(beat?.connections[0]).toMatchObject({ lastHeartbeat: 5000, lastActivity: 1000 });
      const act = await store.touch(u.orgId, u.userId, 'a', 6000, true);
      expect(act?.connections[0]).toMatchObject({ lastHeartbeat: 6000, lastActivity: 6000 });
      expect(await store.touch(u.orgId, u.userId, 'unknown', 7000, true)).toBeUndefined();
      expect(await store.touch(randomUUID(), u.userId, 'a', 7000, true)).toBeUndefined();
    });

    it('disconnecting the last device records when', async () => {
      const u = user();
      await store.connect(u, { id: 'a', kind: 'socket' }, 1000);
      await store.connect(u, { id: 'b', kind: 'socket' }, 1000);
      expect(await store.disconnect(u.orgId, u.userId, 'a', 2000)).toMatchObject({ disconnectedAt: 2000 });
      const last = await store.disconnect(u.orgId, u.userId, 'b', 3000);
      expect(last).toMatchObject({ connections: [], disconnectedAt: 3000 });
      const back = await store.connect(u, { id: 'c', kind: 'socket' }, 4000);
      expect(back.disconnectedAt).toBeNull();
    });

    it('keeps the chosen status and the announced status', async () => {
      const u = user();
      await store.connect(u, { id: 'a', kind: 'socket' }, 1000);
      expect(await store.setChosen(u.orgId, u.userId, 'busy')).toMatchObject({ chosen: 'busy' });
      await store.setAnnounced(u.orgId, u.userId, 'busy');
      expect(await store.get(u.orgId, u.userId)).toMatchObject({ chosen: 'busy', announced: 'busy' });
      expect(await store.setChosen(u.orgId, randomUUID(), 'away')).toBeUndefined();
    });

    it('expires stale devices of one org only, stamping the last heartbeat', async () => {
      const orgId = randomUUID();
      const a = user(orgId);
      const b = user(orgId);
      const other = user();
      await store.connect(a, { id: 'a1', kind: 'socket' }, 1000);
      await store.connect(a, { id: 'a2', kind: 'socket' }, 1000);
      await store.touch(orgId, a.userId, 'a2', 9000, false);
      await store.connect(b, { id: 'b1', kind: 'http' }, 2000);
      await store.connect(other, { id: 'o1', kind: 'socket' }, 1000);
      const changed = await store.expire(orgId, 5000);
      expect(changed.map((r) => r.userId).sort()).toEqual([a.userId, b.userId].sort());
      expect(await store.get(orgId, a.userId)).toMatchObject({ disconnectedAt: null });
      expect((await store.get(orgId, a.userId))?.connections.map((c) => c.id)).toEqual(['a2']);
      expect(await store.get(orgId, b.userId)).toMatchObject({ connections: [], disconnectedAt: 2000 });
      expect((await store.get(other.orgId, other.userId))?.connections).toHaveLength(1);
      expect(await store.expire(orgId, 5000)).toEqual([]);
    });

    it('lists by org, never across orgs, and forgets removed users', async () => {
      const orgId = randomUUID();
      const a = user(orgId);
      const b = user(orgId);
      const other = user();
      for (const u of [a, b, other]) await store.connect(u, { id: 'x', kind: 'socket' }, 1000);
      expect((await store.list(orgId)).map((r) => r.userId).sort()).toEqual([a.userId, b.userId].sort());
      expect(await store.orgs()).toEqual(expect.arrayContaining([orgId, other.orgId]));
      await store.remove(orgId, a.userId);
      expect(await store.get(orgId, a.userId)).toBeUndefined();
      expect((await store.list(orgId)).map((r) => r.userId)).toEqual([b.userId]);
      await store.remove(orgId, b.userId);
      expect(await store.orgs()).not.toContain(orgId);
    });

    it('tells whether a user has a device of a kind, and counts the users with any device', async () => {
      const before = await store.countConnected();
      const a = user();
      const b = user();
      await store.connect(a, { id: 'a', kind: 'socket' }, 1000);
      await store.connect(b, { id: 'b', kind: 'http' }, 1000);
      expect(await store.hasDevice(a.orgId, a.userId, 'socket')).toBe(true);
      expect(await store.hasDevice(a.orgId, a.userId, 'http')).toBe(false);
      expect(await store.hasDevice(b.orgId, b.userId, 'socket')).toBe(false);
      expect(await store.hasDevice(b.orgId, randomUUID(), 'socket')).toBe(false);
      expect(await store.anyWithoutDevice(a.orgId, [a.userId], 'socket')).toBe(false);
      expect(await store.anyWithoutDevice(a.orgId, [], 'socket')).toBe(false);
      expect(await store.anyWithoutDevice(a.orgId, [a.userId, randomUUID()], 'socket')).toBe(true);
      expect(await store.anyWithoutDevice(a.orgId, [a.userId], 'http')).toBe(true);
      expect(await store.anyWithoutDevice(b.orgId, [b.userId], 'http')).toBe(false);
      expect(await store.countConnected()).toBe(before + 2);
      // A record without devices (in its offline grace) is not counted.
      await store.disconnect(b.orgId, b.userId, 'b', 2000);
      expect(await store.countConnected()).toBe(before + 1);
    });

    it('returns copies that do not write through', async () => {
      const u = user();
      const r = await store.connect(u, { id: 'a', kind: 'socket' }, 1000);
      r.connections.length = 0;
      r.chosen = 'away';
      expect(await store.get(u.orgId, u.userId)).toMatchObject({ chosen: null, connections: [{ id: 'a' }] });
    });
  });
}
