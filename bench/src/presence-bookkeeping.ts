/**
 * Presence bookkeeping alone, in its own process: N users of orgs of `orgSize` connected to the presence
 * service (memory store, the embedded default), each heartbeating every `everyS` seconds, with the cleanup
 * loop and the throttled lastSeen writes to a real SQLite database, on a simulated clock
 * (`drivePresenceLoad`). Prints one JSON line: the CPU it took and that CPU as a share of one core over the
 * simulated time, and the heap each online user adds (run with `--expose-gc` for an exact figure). Sockets, auth and acks are not part of it: the socket scenario measures those against
 * the bare Socket.IO baseline.
 *
 * Usage: node --expose-gc --import tsx bench/src/presence-bookkeeping.ts <users> <everyS> <orgSize> <simulatedS>
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../packages/server/src/config.js';
import type { Actor } from '../../packages/server/src/http/access.js';
import { orgsService } from '../../packages/server/src/modules/orgs/orgs.service.js';
import { drivePresenceLoad } from '../../packages/server/src/modules/presence/presence.load.js';
import { presenceService } from '../../packages/server/src/modules/presence/presence.service.js';
import { usersRepo } from '../../packages/server/src/modules/users/users.repo.js';
import { createPlatform } from '../../packages/server/src/platform/platform.js';
import { memoryPresenceStore } from '../../packages/server/src/platform/presence/memory.js';
import { benchUserRow } from './bench-user.js';

async function main(users: number, everyS: number, orgSize: number, simulatedS: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-presence-'));
  const platform = await createPlatform(
    loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error', JWT_SECRET: 'bench-presence-bookkeeping-secret-0123456789' }),
  );
  try {
    const actors: Actor[] = [];
    let orgId = '';
    const repo = usersRepo(platform.database);
    for (let i = 0; i < users; i++) {
      if (i % orgSize === 0) orgId = (await orgsService(platform).create({ slug: `p-${i}`, name: `P ${i}` })).id;
      const now = platform.clock.now();
      const id = randomUUID();
      const role = i % 10 === 0 ? 'agent' : 'customer';
      await repo.insert(
        benchUserRow({
          id,
          orgId,
          email: `p${i}@presence.test`,
          displayName: `user ${i}`,
          role,
          passwordHash: null,
          now,
        }),
      );
      actors.push({ userId: id, orgId, role, sessionId: randomUUID(), kind: 'user' });
    }
    let now = Date.now();
    const svc = presenceService(platform, { store: memoryPresenceStore(), clock: { now: () => now } });
    const result = await drivePresenceLoad(svc, {
      actors,
      heartbeatMs: everyS * 1000,
      durationMs: simulatedS * 1000,
      advance: (ms) => {
        now += ms;
      },
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await platform.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const [users, everyS, orgSize, simulatedS] = process.argv.slice(2).map(Number);
if (!users || !everyS || !orgSize || !simulatedS) {
  process.stderr.write('usage: presence-bookkeeping.ts <users> <everyS> <orgSize> <simulatedS>\n');
  process.exit(2);
}
main(users, everyS, orgSize, simulatedS).catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
