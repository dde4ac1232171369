import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { orgsService } from '../orgs/orgs.service.js';
import { verifyPassword } from './password.js';
import { usersRepo } from './users.repo.js';
import { usersService } from './users.service.js';

describeStorage('users service', (ctx) => {
  it('stores an argon2id hash (m ≥ 19 MiB, t ≥ 2), never the password', async () => {
    const { platform } = ctx();
    const org = await orgsService(platform).create({ slug: 'u1', name: 'U1' });
    const user = await usersService(platform).create(org.id, {
      email: 'Ann@Example.com',
      password: 'correct horse battery',
      role: 'agent',
    });
    expect(user).toMatchObject({ email: 'ann@example.com', displayName: 'ann', role: 'agent', active: true });
    const row = await usersRepo(platform.database).findById(org.id, user.id);
    expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$/);
    const [, m, t] = /m=(\d+),t=(\d+)/.exec(row?.passwordHash ?? '') ?? [];
    expect(Number(m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(t)).toBeGreaterThanOrEqual(2);
    expect(await verifyPassword(row?.passwordHash ?? '', 'correct horse battery')).toBe(true);
    expect(await verifyPassword(row?.passwordHash ?? '', 'wrong')).toBe(false);
  });

  it('keeps users inside their org: same email in two orgs, no lookup across', async () => {
    const { platform } = ctx();
    const users = usersService(platform);
    const a = await orgsService(platform).create({ slug: 'u-a', name: 'A' });
    const b = await orgsService(platform).create({ slug: 'u-b', name: 'B' });
    const inA = await users.create(a.id, { email: 'same@example.com', password: 'long enough pw', role: 'admin' });
    await users.create(b.id, { email: 'same@example.com', password: 'long enough pw', role: 'customer' });
    await expect(
      users.create(a.id, { email: 'same@example.com', password: 'long enough pw', role: 'agent' }),
    ).rejects.toMatchObject({ code: 'already_exists' });
    await expect(users.get(b.id, inA.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejects a short password and an unknown role', async () => {
    const { platform } = ctx();
    const org = await orgsService(platform).create({ slug: 'u-bad', name: 'Bad' });
    await expect(
      usersService(platform).create(org.id, { email: 'x@example.com', password: 'short', role: 'agent' }),
    ).rejects.toThrow(/at least 10/);
    await expect(
      // @ts-expect-error: testing a role outside the type
      usersService(platform).create(org.id, { email: 'x@example.com', password: 'long enough pw', role: 'root' }),
    ).rejects.toThrow();
  });
});
