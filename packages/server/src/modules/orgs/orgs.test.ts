import { expect, it } from 'vitest';
import { describeStorage } from '../../test/storage.js';
import { orgsService } from './orgs.service.js';

describeStorage('orgs service', (ctx) => {
  it('creates an org and finds it by id and slug', async () => {
    const orgs = orgsService(ctx().platform);
    const org = await orgs.create({ slug: 'acme', name: 'Acme' });
    expect(await orgs.get(org.id)).toEqual(org);
    expect(await orgs.getBySlug('acme')).toEqual(org);
  });

  it('refuses a duplicate slug and a bad slug with codes', async () => {
    const orgs = orgsService(ctx().platform);
    await orgs.create({ slug: 'dup', name: 'One' });
    await expect(orgs.create({ slug: 'dup', name: 'Two' })).rejects.toMatchObject({ code: 'already_exists' });
    await expect(orgs.create({ slug: 'Bad Slug', name: 'x' })).rejects.toThrow(/lowercase/);
    await expect(orgs.get('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
  });
});
