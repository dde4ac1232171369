import { beforeAll, expect, it } from 'vitest';
import { jwtKey } from '../../server/src/modules/auth/keys.js';
import { unsubscribeTokens } from '../../server/src/modules/notifications/unsubscribe.js';
import { createOrgWithUsers, describeApp, listen, loginAs, type OrgFixture } from '../../server/src/test/auth.js';
import { SwitchboardError } from './errors.js';
import { unsubscribeEmail } from './unsubscribe.js';

/** An email's unsubscribe link followed through the SDK, without a session, against the real server. */
describeApp('sdk unsubscribeEmail', (ctx) => {
  let url: string;
  let fx: OrgFixture;
  beforeAll(async () => {
    fx = await createOrgWithUsers(ctx().platform);
    url = await listen(ctx().app);
  });

  it('turns email off for the user the token names; a damaged token is refused with 401', async () => {
    const token = unsubscribeTokens(jwtKey(ctx().platform.config)).create(fx.org.id, fx.users.agent.id);
    const refused = await unsubscribeEmail({ url }, `${token}x`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SwitchboardError);
    expect((refused as SwitchboardError).status).toBe(401);
    expect(await unsubscribeEmail({ url }, token)).toEqual({ email: false });
    const { accessToken } = await loginAs(ctx().app, fx.emails.agent);
    const settings = await ctx().app.inject({
      url: '/api/v1/me/notification-settings',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(settings.json().email).toBe(false);
  });
});
