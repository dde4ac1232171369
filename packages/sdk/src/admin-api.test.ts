import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrgWithUsers, describeApp, listen, type OrgFixture } from '../../server/src/test/auth.js';
import { codeOf, signedInClients } from './test/signed-in.js';

/** `client.api.knowledge` and `client.api.orgs` against the real server: answers parsed, refusals coded. */
describeApp('sdk admin APIs: knowledge base and org settings', (ctx) => {
  let url: string;
  let fx: OrgFixture;
  const clients = signedInClients();
  const open = (email: string) => clients.open(url, email, fx.password);

  beforeAll(async () => {
    fx = await createOrgWithUsers(ctx().platform);
    url = await listen(ctx().app);
  });
  afterAll(() => clients.closeAll());

  it('creates a draft, publishes, edits, imports twice (create then update) and deletes articles', async () => {
    const kb = (await open(fx.emails.supervisor)).api.knowledge;
    const draft = await kb.create({ title: 'Export history', body: 'Open **Settings**.', published: false });
    expect(draft).toMatchObject({ published: false, topics: [] });
    expect((await kb.update(draft.id, { published: true, topics: ['account'] })).published).toBe(true);
    expect(await kb.get(draft.id)).toMatchObject({ published: true, topics: ['account'] });

    const articles = [
      { externalId: 'a', title: 'Opening hours', body: 'Every day 8–20.' },
      { externalId: 'b', title: 'Refunds', body: 'Up to 5 days.' },
    ];
    expect(await kb.import({ articles })).toEqual({ created: 2, updated: 0 });
    expect(await kb.import({ articles })).toEqual({ created: 0, updated: 2 });
    const { items } = await kb.list();
    expect(items.map((a) => a.title).sort()).toEqual(['Export history', 'Opening hours', 'Refunds']);

    expect(await kb.remove(draft.id)).toBeNull();
    expect(await codeOf(kb.get(draft.id))).toBe('not_found');
    expect(await codeOf(kb.create({ title: ' ', body: 'x' }))).toBe('validation_failed');
  });

  it('reads and changes the assistant settings, the org name and the widget secret (admins only)', async () => {
    const orgs = (await open(fx.emails.admin)).api.orgs;
    const before = await orgs.aiSettings();
    const changed = await orgs.updateAiSettings({ threshold: 0.35, approvalTimeoutMs: 90_000 });
    expect(changed).toEqual({ ...before, threshold: 0.35, approvalTimeoutMs: 90_000 });
    expect(await codeOf(orgs.updateAiSettings({ threshold: 2 }))).toBe('validation_failed');

    expect((await orgs.update({ name: 'Renamed org' })).name).toBe('Renamed org');
    expect((await orgs.current()).name).toBe('Renamed org');
    const widget = await orgs.widget();
    const rotated = await orgs.rotateWidgetSecret();
    expect(rotated.widgetKey).toBe(widget.widgetKey);
    expect(rotated.identitySecret).not.toBe(widget.identitySecret);

    const agent = (await open(fx.emails.agent)).api;
    expect(await codeOf(agent.orgs.updateAiSettings({ threshold: 0.1 }))).toBe('forbidden');
    expect(await codeOf(agent.orgs.widget())).toBe('forbidden');
    expect(await codeOf(agent.knowledge.list())).toBe('forbidden');
    expect((await orgs.aiSettings()).threshold).toBe(0.35);
  });
});
