import { randomUUID } from 'node:crypto';
import type { Role } from '@switchboard/protocol';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import type { Platform } from '../../platform/platform.js';
import { memoryPresenceStore } from '../../platform/presence/memory.js';
import { describeStorage } from '../../test/storage.js';
import { orgsService } from '../orgs/orgs.service.js';
import { usersService } from '../users/users.service.js';
import { presenceRepo } from './presence.repo.js';
import { type PresenceChange, presenceService } from './presence.service.js';

const T0 = 1_700_000_000_000;
const IDLE = 300_000;
const TIMEOUT = 60_000;
const GRACE = 5_000;
const SWEEP = 5_000;

/** Two orgs: acme (two agents, a supervisor, two customers) and globex (one agent). */
async function seedOrgs(platform: Platform) {
  const orgs = orgsService(platform);
  const users = usersService(platform);
  const make = async (orgId: string, name: string, role: Role): Promise<Actor> => {
    const u = await users.create(orgId, {
      email: `${name}-${randomUUID().slice(0, 8)}@example.com`,
      displayName: name,
      password: 'correct horse battery',
      role,
    });
    return { userId: u.id, orgId, role, sessionId: randomUUID(), kind: 'user' };
  };
  const acme = await orgs.create({ slug: `acme-${randomUUID().slice(0, 8)}`, name: 'Acme' });
  const globex = await orgs.create({ slug: `globex-${randomUUID().slice(0, 8)}`, name: 'Globex' });
  return {
    ada: await make(acme.id, 'Ada', 'agent'),
    bob: await make(acme.id, 'Bob', 'agent'),
    sue: await make(acme.id, 'Sue', 'supervisor'),
    cat: await make(acme.id, 'Cat', 'customer'),
    dan: await make(acme.id, 'Dan', 'customer'),
    gus: await make(globex.id, 'Gus', 'agent'),
    /** Never connects in any test. */
    eve: await make(acme.id, 'Eve', 'agent'),
  };
}

describeStorage(
  'presence service',
  (ctx) => {
    let people: Awaited<ReturnType<typeof seedOrgs>>;
    let now: number;
    let changes: PresenceChange[];
    let svc: ReturnType<typeof presenceService>;
    const clock = { now: () => now };
    const advance = async (ms: number, step = SWEEP) => {
      for (let left = ms; left > 0; left -= step) {
        now += Math.min(step, left);
        await svc.sweep();
      }
    };
    const statuses = (userId: string) =>
      changes.filter((c) => c.presence.userId === userId).map((c) => c.presence.status);

    beforeAll(async () => {
      people = await seedOrgs(ctx().platform);
    });
    beforeEach(() => {
      now = T0;
      changes = [];
      svc = presenceService(ctx().platform, { store: memoryPresenceStore(), clock });
      svc.onChange((c) => changes.push(c));
    });

    it('reads its rules from config', () => {
      expect(svc.rules).toEqual({ idleMs: IDLE, heartbeatTimeoutMs: TIMEOUT, offlineGraceMs: GRACE });
    });

    it('keeps a user with two devices online until both close, then offline after the grace', async () => {
      const { ada, bob } = people;
      expect(await svc.connect(ada, 'laptop')).toMatchObject({ userId: ada.userId, username: 'Ada', status: 'online' });
      await svc.connect(ada, 'phone');
      await advance(10_000);
      await svc.disconnect(ada, 'laptop');
      await advance(30_000);
      expect((await svc.get(bob, ada.userId)).status).toBe('online');
      await svc.disconnect(ada, 'phone');
      const closedAt = now;
      expect((await svc.get(bob, ada.userId)).status).toBe('online');
      await advance(GRACE);
      expect(await svc.get(bob, ada.userId)).toEqual({
        userId: ada.userId,
        username: 'Ada',
        status: 'offline',
        lastSeen: closedAt,
      });
      expect(statuses(ada.userId)).toEqual(['online', 'offline']);
    });

    it('holds the status through a quick reconnect within the grace', async () => {
      const { ada } = people;
      await svc.connect(ada, 's1');
      await svc.disconnect(ada, 's1');
      now += 1000;
      await svc.connect(ada, 's2');
      await advance(GRACE * 2);
      expect(statuses(ada.userId)).toEqual(['online']);
    });

    it('turns a user whose heartbeats stop offline within the heartbeat timeout + 5 s', async () => {
      const { ada, bob } = people;
      await svc.connect(ada, 's1');
      for (let i = 0; i < 4; i++) {
        await advance(30_000);
        expect(await svc.heartbeat(ada, {}, 's1')).toEqual({
          status: 'online',
          serverTime: now,
          nextHeartbeatMs: 30_000,
        });
      }
      const lastBeat = now;
      let offlineAt: number | undefined;
      svc.onChange((c) => {
        if (c.presence.userId === ada.userId && c.presence.status === 'offline') offlineAt = now;
      });
      await advance(TIMEOUT - SWEEP);
      expect(offlineAt).toBeUndefined();
      expect((await svc.get(bob, ada.userId)).status).toBe('online');
      await advance(2 * SWEEP);
      expect(offlineAt).toBeDefined();
      expect(offlineAt).toBeLessThanOrEqual(lastBeat + TIMEOUT + 5_000);
      expect((await svc.get(bob, ada.userId)).lastSeen).toBe(lastBeat);
      // The device comes back with a heartbeat: online again.
      expect((await svc.heartbeat(ada, {}, 's1')).status).toBe('online');
    });

    it('turns an idle user away and back online on activity; heartbeats alone are not activity', async () => {
      const { ada, bob } = people;
      await svc.connect(ada, 's1');
      for (let t = 0; t < IDLE; t += 30_000) {
        await advance(30_000);
        await svc.heartbeat(ada, {}, 's1');
      }
      expect((await svc.get(bob, ada.userId)).status).toBe('away');
      expect(statuses(ada.userId)).toEqual(['online', 'away']);
      await svc.activity(ada, 's1');
      expect((await svc.get(bob, ada.userId)).status).toBe('online');
      await advance(60_000, 30_000);
      expect((await svc.heartbeat(ada, { active: true }, 's1')).status).toBe('online');
      expect(statuses(ada.userId)).toEqual(['online', 'away', 'online']);
    });

    it('keeps a chosen busy through activity and idleness until changed, across restarts', async () => {
      const { ada, bob } = people;
      await svc.connect(ada, 's1');
      expect(await svc.setStatus(ada, 'busy')).toMatchObject({ status: 'busy' });
      await svc.activity(ada, 's1');
      for (let t = 0; t < IDLE + 60_000; t += 30_000) {
        await advance(30_000);
        await svc.heartbeat(ada, {}, 's1');
      }
      expect((await svc.get(bob, ada.userId)).status).toBe('busy');
      await svc.heartbeat(ada, { active: true }, 's1');
      expect((await svc.get(bob, ada.userId)).status).toBe('busy');
      // A new process (fresh store) restores the choice from the database when she reconnects.
      const restarted = presenceService(ctx().platform, { store: memoryPresenceStore(), clock });
      expect((await restarted.connect(ada, 's2')).status).toBe('busy');
      expect((await restarted.setStatus(ada, 'online')).status).toBe('online');
      expect(statuses(ada.userId)).toEqual(['online', 'busy']);
      const again = presenceService(ctx().platform, { store: memoryPresenceStore(), clock });
      expect((await again.connect(ada, 's3')).status).toBe('online');
    });

    it('announces changes with the org and role, which decide the audience', async () => {
      const { ada, cat, gus } = people;
      await svc.connect(ada, 'a');
      await svc.connect(cat, 'c');
      await svc.connect(gus, 'g');
      expect(changes.map((c) => [c.orgId, c.role, c.presence.username])).toEqual([
        [ada.orgId, 'agent', 'Ada'],
        [cat.orgId, 'customer', 'Cat'],
        [gus.orgId, 'agent', 'Gus'],
      ]);
    });

    it('shows staff their org, a customer only agents, and nobody another org', async () => {
      const { ada, bob, sue, cat, dan, gus } = people;
      for (const a of [ada, bob, sue, cat, dan, gus]) await svc.connect(a, `dev-${a.userId}`);
      const names = async (a: Actor) => (await svc.online(a)).map((p) => p.username).sort();
      expect(await names(sue)).toEqual(['Ada', 'Bob', 'Cat', 'Dan', 'Sue']);
      expect(await names(cat)).toEqual(['Ada', 'Bob', 'Cat']);
      expect(await names(gus)).toEqual(['Gus']);
      expect((await svc.get(cat, cat.userId)).status).toBe('online');
      await expect(svc.get(cat, sue.userId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(svc.get(cat, dan.userId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(svc.get(ada, gus.userId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(svc.get(gus, ada.userId)).rejects.toMatchObject({ code: 'not_found' });
      await expect(svc.get(ada, randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    });

    it('pages the online users by id, filters by status and counts them', async () => {
      const { ada, bob, sue, cat } = people;
      for (const a of [ada, bob, sue, cat]) await svc.connect(a, `dev-${a.userId}`);
      await svc.setStatus(bob, 'busy');
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await svc.page(sue, { limit: 3, cursor });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((p) => p.userId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([ada, bob, sue, cat].map((a) => a.userId).sort());
      expect((await svc.page(sue, { limit: 50, status: 'busy' })).items.map((p) => p.username)).toEqual(['Bob']);
      await expect(svc.page(sue, { limit: 50, cursor: 'nope' })).rejects.toMatchObject({ code: 'invalid_cursor' });
      expect(await svc.stats(sue)).toEqual({ total: 4, byStatus: { online: 3, away: 0, busy: 1 } });
      await expect(svc.stats(cat)).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('lists as available only staff who are online', async () => {
      const { ada, bob, sue, cat, gus } = people;
      for (const a of [ada, bob, sue, cat, gus]) await svc.connect(a, `dev-${a.userId}`);
      await svc.setStatus(bob, 'busy');
      expect((await svc.availableAgents(ada.orgId)).map((a) => a.username).sort()).toEqual(['Ada', 'Sue']);
      await svc.disconnect(ada, `dev-${ada.userId}`);
      await advance(GRACE);
      expect((await svc.availableAgents(ada.orgId)).map((a) => a.username)).toEqual(['Sue']);
    });

    it('treats an HTTP client that sends heartbeats as a device that expires', async () => {
      const { ada, bob } = people;
      expect((await svc.heartbeat(ada)).status).toBe('online');
      await advance(TIMEOUT - SWEEP);
      expect((await svc.get(bob, ada.userId)).status).toBe('online');
      await advance(2 * SWEEP);
      expect((await svc.get(bob, ada.userId)).status).toBe('offline');
    });

    it('holds the grace when the last socket closes just after a REST-heartbeat device went stale', async () => {
      const { ada, bob } = people;
      await svc.heartbeat(ada); // an HTTP device, silent from now on
      await svc.connect(ada, 'socket');
      // The socket keeps beating until just past the HTTP device's timeout, before any sweep drops it.
      now += TIMEOUT - 1000;
      await svc.heartbeat(ada, {}, 'socket');
      now += 1030;
      await svc.disconnect(ada, 'socket');
      const closedAt = now;
      expect((await svc.get(bob, ada.userId)).status).toBe('online');
      now += GRACE - 1;
      expect((await svc.get(bob, ada.userId)).status).toBe('online');
      now += 1;
      await svc.sweep();
      expect(await svc.get(bob, ada.userId)).toMatchObject({ status: 'offline', lastSeen: closedAt });
      expect(statuses(ada.userId)).toEqual(['online', 'offline']);
    });

    it('writes lastSeen to the database at most every 30 s per user', async () => {
      const { ada, bob } = people;
      const repo = presenceRepo(ctx().platform.database);
      await svc.connect(ada, 's1');
      await svc.sweep();
      expect((await repo.find(ada.orgId, ada.userId))?.lastSeen).toBe(T0);
      const written: number[] = [];
      for (let i = 0; i < 60; i++) {
        now += 1000;
        await svc.heartbeat(ada, {}, 's1');
        await svc.sweep();
        const stored = (await repo.find(ada.orgId, ada.userId))?.lastSeen;
        if (stored !== undefined && stored !== null && stored !== written.at(-1)) written.push(stored);
      }
      expect(written).toEqual([T0, T0 + 30_000, T0 + 60_000]);
      // Going offline writes the final lastSeen once the window allows; a new process reads it.
      await svc.disconnect(ada, 's1');
      const goneAt = now;
      await advance(30_000);
      const fresh = presenceService(ctx().platform, { store: memoryPresenceStore(), clock });
      expect(await fresh.get(bob, ada.userId)).toMatchObject({ status: 'offline', lastSeen: goneAt });
      expect(await fresh.get(bob, people.eve.userId)).toMatchObject({ status: 'offline', lastSeen: null });
    });

    it('upserts lastSeen for many users at once and keeps a chosen status', async () => {
      const { ada, eve } = people;
      const repo = presenceRepo(ctx().platform.database);
      await repo.saveChosen(ada.orgId, ada.userId, 'busy', T0);
      // More rows than one statement takes (500), users that have no row yet among them.
      const strangers = Array.from({ length: 620 }, () => ({
        orgId: ada.orgId,
        userId: randomUUID(),
        lastSeen: T0 + 5,
      }));
      // Accounts written directly: 620 through the users service would hash 620 passwords.
      await ctx()
        .platform.database.db.insertInto('users')
        .values(
          strangers.map((u) => ({
            id: u.userId,
            orgId: u.orgId,
            email: `${u.userId}@example.com`,
            displayName: 'S',
            active: 1,
            role: 'customer',
            createdAt: T0,
            updatedAt: T0,
          })),
        )
        .execute();
      const rows = [
        { orgId: ada.orgId, userId: ada.userId, lastSeen: T0 + 7 },
        ...strangers,
        { orgId: eve.orgId, userId: eve.userId, lastSeen: T0 + 9 },
      ];
      await repo.saveLastSeenMany(rows, T0 + 10);
      expect(await repo.find(ada.orgId, ada.userId)).toEqual({
        userId: ada.userId,
        lastSeen: T0 + 7,
        chosenStatus: 'busy',
      });
      expect(await repo.find(eve.orgId, eve.userId)).toEqual({
        userId: eve.userId,
        lastSeen: T0 + 9,
        chosenStatus: null,
      });
      const last = strangers.at(-1) as (typeof strangers)[number];
      expect(await repo.find(last.orgId, last.userId)).toEqual({
        userId: last.userId,
        lastSeen: T0 + 5,
        chosenStatus: null,
      });
      await repo.saveLastSeenMany([{ orgId: ada.orgId, userId: ada.userId, lastSeen: T0 + 20 }], T0 + 20);
      expect(await repo.find(ada.orgId, ada.userId)).toMatchObject({ lastSeen: T0 + 20, chosenStatus: 'busy' });
      // Ada's chosen status back to none: the other tests share her.
      await repo.saveChosen(ada.orgId, ada.userId, null, T0 + 21);
    });
  },
  {
    PRESENCE_IDLE_MS: String(IDLE),
    PRESENCE_HEARTBEAT_TIMEOUT_MS: String(TIMEOUT),
    PRESENCE_OFFLINE_GRACE_MS: String(GRACE),
  },
);
