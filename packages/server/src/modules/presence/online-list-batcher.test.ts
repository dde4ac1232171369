import type { Role, UserPresence } from '@switchboard/protocol';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createOrgWithUsers, insertTestUser, listen, sessionFor } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';

interface Seen {
  role: Role;
  userId: string;
  socket: Socket;
  lists: UserPresence[][];
  /** Who the socket knows to be online: its first list, then every `user:status` after it. */
  online: Set<string>;
}

describe('online:users for a connect storm of one org', () => {
  let app: FastifyInstance;
  let url: string;
  const seen: Seen[] = [];
  const users: { id: string; role: Role; token: string }[] = [];
  let orgId = '';

  beforeAll(async () => {
    app = await buildApp(testConfig());
    url = await listen(app);
    const fx = await createOrgWithUsers(app.platform);
    orgId = fx.org.id;
    const roles: Role[] = [...Array<Role>(24).fill('agent'), 'supervisor', 'admin', 'customer', 'customer'];
    for (const [i, role] of roles.entries()) {
      const u = await insertTestUser(app.platform, {
        orgId: fx.org.id,
        email: `storm-${i}@storm.test`,
        displayName: `storm ${i}`,
        role,
        passwordHash: null,
      });
      users.push({ id: u.id, role, token: (await sessionFor(app.platform, u)).accessToken });
    }
  });
  afterAll(async () => {
    for (const s of seen) s.socket.close();
    await app.close();
  });

  it('sends every socket one list, built once per window, that with later changes shows everyone it may see', async () => {
    let builds = 0;
    const svc = app.services.presence;
    const original = svc.onlineMany;
    svc.onlineMany = (orgId, viewers) => {
      builds++;
      return original(orgId, viewers);
    };
    try {
      // Everyone at once, listeners attached before the socket connects.
      await Promise.all(
        users.map(
          (u) =>
            new Promise<void>((resolve, reject) => {
              const socket = io(url, {
                auth: { token: u.token },
                transports: ['websocket'],
                forceNew: true,
                reconnection: false,
              });
              const s: Seen = { role: u.role, userId: u.id, socket, lists: [], online: new Set() };
              seen.push(s);
              socket.on('online:users', ({ users: list }: { users: UserPresence[] }) => {
                s.lists.push(list);
                for (const p of list) s.online.add(p.userId);
                resolve();
              });
              socket.on('user:status', (p: UserPresence) => {
                if (s.lists.length === 0) return;
                if (p.status === 'offline') s.online.delete(p.userId);
                else s.online.add(p.userId);
              });
              socket.once('connect_error', reject);
            }),
        ),
      );
      // A round trip through each socket: everything the server sent before has arrived.
      await Promise.all(seen.map((s) => s.socket.emitWithAck('heartbeat', {})));
    } finally {
      svc.onlineMany = original;
    }

    const everyone = new Set(users.map((u) => u.id));
    const agents = new Set(users.filter((u) => u.role === 'agent').map((u) => u.id));
    for (const s of seen) {
      expect(s.lists).toHaveLength(1);
      expect(s.online.has(s.userId)).toBe(true);
      if (s.role === 'customer') {
        // Themself and the agents, never the other customer, a supervisor or an admin.
        expect(s.online).toEqual(new Set([s.userId, ...agents]));
      } else {
        expect(s.online).toEqual(everyone);
      }
    }
    // Built per window for the whole org, not per connect.
    expect(builds).toBeGreaterThan(0);
    expect(builds).toBeLessThan(users.length);
  });

  it('gives all staff viewers of a batch the same list object (encoded once) and customers their own', async () => {
    const svc = app.services.presence;
    const staff = users.filter((u) => u.role !== 'customer').slice(0, 3);
    const customer = users.find((u) => u.role === 'customer');
    if (!customer) throw new Error('fixture has no customer');
    const lists = await svc.onlineMany(
      orgId,
      [...staff, customer].map((u) => ({ userId: u.id, orgId, role: u.role, sessionId: 's', kind: 'user' as const })),
    );
    expect(lists[0]).toBe(lists[1]);
    expect(lists[1]).toBe(lists[2]);
    expect(lists[3]).not.toBe(lists[0]);
    expect(lists[3]?.map((p) => p.userId).sort()).toEqual(
      [customer.id, ...users.filter((u) => u.role === 'agent').map((u) => u.id)].sort(),
    );
    // Another org's viewer sees nothing of this org.
    const [stranger] = await svc.onlineMany(orgId, [{ ...staffActor(staff[0]), orgId: 'other-org' }]);
    expect(stranger).toEqual([]);
  });

  function staffActor(u: (typeof users)[number] | undefined) {
    if (!u) throw new Error('no user');
    return { userId: u.id, orgId, role: u.role, sessionId: 's', kind: 'user' as const };
  }
});
