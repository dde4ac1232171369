import { randomUUID } from 'node:crypto';
import type { Role, User } from '@switchboard/protocol';
import type { Actor } from '../../../actor.js';
import type { Platform } from '../../../platform/platform.js';
import { until as waitUntil } from '../../../test/waits.js';
import { orgsService } from '../../orgs/orgs.service.js';
import { usersService } from '../../users/users.service.js';

/** A test user as the messenger service takes it (an Actor) plus its User record. */
export type TestUser = Actor & { user: User };

/** A fresh org with `n` users of `role` (test only). */
export async function orgWithUsers(platform: Platform, n: number, role: Role = 'agent'): Promise<TestUser[]> {
  const slug = `org-${randomUUID().slice(0, 8)}`;
  const org = await orgsService(platform).create({ slug, name: slug });
  const users = usersService(platform);
  const out: TestUser[] = [];
  for (let i = 0; i < n; i++) {
    const user = await users.create(org.id, { email: `u${i}@${slug}.test`, password: 'fixture passphrase 9', role });
    out.push({ userId: user.id, orgId: org.id, role, sessionId: randomUUID(), kind: 'user', user });
  }
  return out;
}

export function must<T>(v: T | undefined | null): T {
  if (v === undefined || v === null) throw new Error('expected a value');
  return v;
}

export { sleep } from '../../../test/waits.js';

/** Poll `check` until it holds (no fixed timing threshold: the test's own timeout bounds it). */
export const until = (check: () => boolean, stepMs = 10) => waitUntil('condition', check, 600_000, stepMs);
