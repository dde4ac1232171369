import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Actor } from '../../actor.js';
import { memoryPresenceStore } from '../../platform/presence/memory.js';
import { createOrgWithUsers } from '../../test/auth.js';
import { describeStorage } from '../../test/storage.js';
import { drivePresenceLoad } from './presence.load.js';
import { presenceRepo } from './presence.repo.js';
import { type PresenceChange, presenceService } from './presence.service.js';

describeStorage('presence load driver', (ctx) => {
  it('beats every user once per interval and keeps them all online', async () => {
    const { platform } = ctx();
    const fixture = await createOrgWithUsers(platform);
    const actors: Actor[] = Object.values(fixture.users).map((u) => ({
      userId: u.id,
      orgId: u.orgId,
      role: u.role,
      sessionId: randomUUID(),
      kind: 'user',
    }));
    let now = 1_700_000_000_000;
    const svc = presenceService(platform, { store: memoryPresenceStore(), clock: { now: () => now } });
    const changes: PresenceChange[] = [];
    svc.onChange((c) => changes.push(c));

    const result = await drivePresenceLoad(svc, {
      actors,
      heartbeatMs: 30_000,
      durationMs: 120_000,
      advance: (ms) => {
        now += ms;
      },
    });
    expect(result).toMatchObject({ users: 4, simulatedMs: 120_000, heartbeats: 16, sweeps: 24 });
    expect(result.cpuMs).toBeGreaterThan(0);
    expect(result.heapBytesPerUser).toBeTypeOf('number');
    // Connected once each, never away or offline while beating (the driver disconnects them at the end).
    expect(changes.map((c) => c.presence.status)).toEqual(['online', 'online', 'online', 'online']);
    const stored = await presenceRepo(platform.database).find(fixture.org.id, fixture.users.agent.id);
    expect(stored?.lastSeen).toBeGreaterThan(1_700_000_000_000 + 60_000);
  });
});
