/**
 * Setup step, run as its own process before the server starts (same DATA_DIR / DATABASE_URL, same
 * JWT_SECRET and PUBLIC_URL): creates one org, N users, the scenario's conversations and one live session
 * plus access token per user, through the server's own services. This skips argon2 per user (one hash is
 * shared by every user: ~80 ms instead of ~80 ms × N) and the login throttle, which a load test would
 * otherwise hit.
 *
 * Usage: node --import tsx bench/src/seed.ts <spec.json> <out.json>
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { loadConfig } from '../../packages/server/src/config.js';
import type { Actor } from '../../packages/server/src/http/access.js';
import { sessionsService } from '../../packages/server/src/modules/auth/sessions.service.js';
import { signAccessToken } from '../../packages/server/src/modules/auth/tokens.js';
import { knowledgeService } from '../../packages/server/src/modules/knowledge/knowledge.service.js';
import { messengerService } from '../../packages/server/src/modules/messenger/messenger.service.js';
import type { MessengerNotifier } from '../../packages/server/src/modules/messenger/notifier.js';
import { orgsService } from '../../packages/server/src/modules/orgs/orgs.service.js';
import { tasksRepo } from '../../packages/server/src/modules/tasks/tasks.repo.js';
import { hashPassword } from '../../packages/server/src/modules/users/password.js';
import { usersRepo } from '../../packages/server/src/modules/users/users.repo.js';
import { createPlatform } from '../../packages/server/src/platform/platform.js';
import { DEMO_ARTICLES } from '../../packages/server/src/seed/demo-kb.js';
import { benchUserRow } from './bench-user.js';
import type { SeedOutput, SeedSpec } from './types.js';

/** The service caps a group's initial members and each add at 500. */
const BATCH = 499;

const quiet: MessengerNotifier = {
  event() {},
  join() {},
  leave() {},
  receipt() {},
  readState() {},
  typing() {},
};

async function main(specFile: string, outFile: string): Promise<void> {
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as SeedSpec;
  const platform = await createPlatform(loadConfig());
  try {
    const run = randomUUID().slice(0, 8);
    const orgs: string[] = [];
    for (let o = 0; o * spec.orgSize < spec.users; o++) {
      orgs.push((await orgsService(platform).create({ slug: `bench-${run}-${o}`, name: `Bench ${o}` })).id);
    }
    if (spec.taskTypes)
      for (const orgId of orgs) await tasksRepo(platform.database).setEnabledTypes(orgId, spec.taskTypes, Date.now());
    if (spec.kb === 'demo')
      for (const orgId of orgs) await knowledgeService(platform).import(orgId, null, { articles: [...DEMO_ARTICLES] });
    const agents = new Set(spec.agents ?? []);
    const passwordHash = await hashPassword(randomUUID());
    const repo = usersRepo(platform.database);
    const sessions = sessionsService(platform);
    const actors: Actor[] = [];
    const users: SeedOutput['users'] = [];
    for (let i = 0; i < spec.users; i++) {
      const now = platform.clock.now();
      const id = randomUUID();
      const orgId = orgs[Math.floor(i / spec.orgSize)] as string;
      const role = agents.has(i) ? 'agent' : spec.role;
      await repo.insert(
        benchUserRow({
          id,
          orgId,
          email: `u${i}@bench-${run}.test`,
          displayName: `user ${i}`,
          role,
          passwordHash,
          now,
        }),
      );
      const { session } = await sessions.create({ orgId, userId: id, kind: 'user', role });
      const actor: Actor = { userId: id, orgId, role, sessionId: session.id, kind: 'user' };
      const expiresAt = Math.min(now + platform.config.accessTokenTtlMs, session.expiresAt);
      actors.push(actor);
      users.push({ id, token: await signAccessToken(platform, actor, expiresAt) });
    }
    const messenger = messengerService(platform, quiet);
    const conversations: SeedOutput['conversations'] = [];
    for (const c of spec.conversations) {
      const creator = actors[c.members[0] as number] as Actor;
      const others = c.members.slice(1).map((m) => (actors[m] as Actor).userId);
      let conv =
        c.kind === 'direct'
          ? (await messenger.conversations.create(creator, { kind: 'direct', userId: others[0] as string }))
              .conversation
          : (
              await messenger.conversations.create(creator, {
                kind: 'group',
                name: 'bench',
                memberIds: others.slice(0, BATCH),
              })
            ).conversation;
      for (let i = BATCH; c.kind === 'group' && i < others.length; i += BATCH) {
        conv = await messenger.conversations.addMembers(creator, conv.id, { userIds: others.slice(i, i + BATCH) });
      }
      conversations.push({ id: conv.id, members: c.members, startSeq: conv.lastSeq });
    }
    messenger.close();
    const out: SeedOutput = { orgIds: orgs, users, conversations };
    fs.writeFileSync(outFile, JSON.stringify(out));
  } finally {
    await platform.close();
  }
}

const [specFile, outFile] = process.argv.slice(2);
if (!specFile || !outFile) {
  process.stderr.write('usage: seed.ts <spec.json> <out.json>\n');
  process.exit(2);
}
await main(specFile, outFile);
