import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOrgWithUsers, describeApp, listen, type OrgFixture } from '../../server/src/test/auth.js';
import { SwitchboardError } from './errors.js';
import { signedInClients } from './test/signed-in.js';

/** `client.api.supportHours` against the real server. */
describeApp('sdk support hours API', (ctx) => {
  let url: string;
  let fx: OrgFixture;
  const clients = signedInClients();
  const open = (email: string) => clients.open(url, email, fx.password);

  beforeAll(async () => {
    fx = await createOrgWithUsers(ctx().platform);
    url = await listen(ctx().app);
  });
  afterAll(() => clients.closeAll());

  it('admins change the hours; a customer reads them and leaves an email; others are refused', async () => {
    const admin = await open(fx.emails.admin);
    const customer = await open(fx.emails.customer);
    const settings = {
      timezone: 'UTC',
      hoursEnabled: true,
      hours: [],
      awayMessage: 'Closed for now',
      prechatName: false,
      prechatEmail: true,
    };
    expect(await admin.api.supportHours.updateSettings(settings)).toEqual(settings);
    expect(await admin.api.supportHours.settings()).toEqual(settings);
    expect(await customer.api.supportHours.hours()).toMatchObject({
      open: false,
      nextOpenAt: null,
      awayMessage: 'Closed for now',
      prechatEmail: true,
    });
    expect(await customer.api.supportHours.setContact({ email: 'me@example.com' })).toMatchObject({
      email: fx.emails.customer,
    });
    const refused = await customer.api.supportHours.settings().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SwitchboardError);
    expect((refused as SwitchboardError).code).toBe('forbidden');
  });
});
