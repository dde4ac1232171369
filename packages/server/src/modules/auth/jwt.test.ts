import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, expect, it } from 'vitest';
import { connectSocket, createOrgWithUsers, describeApp, listen, loginAs, type OrgFixture } from '../../test/auth.js';
import { jwtKey } from './keys.js';
import { JWT_AUDIENCE } from './tokens.js';

/**
 * Every way an access token can be wrong gets 401 on REST and a refused socket handshake — forged tokens
 * carry the claims of a real, live session so that only the defect under test can be the reason.
 */
describeApp('JWT access tokens: forged, tampered, expired, early, misaddressed, revoked', (ctx) => {
  let a: OrgFixture;
  let url: string;
  let claims: Record<string, string>;
  let good: string;
  let revoked: string;
  const key = () => jwtKey(ctx().platform.config);
  const nowS = () => Math.floor(ctx().clock.now() / 1000);
  const hs = (alg: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg })
      .setSubject(claims.sub as string)
      .setIssuer(ctx().platform.config.publicUrl)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(nowS())
      .setExpirationTime(nowS() + 600);

  const withClaims = (overrides: Record<string, string>) =>
    new SignJWT({ ...claims, ...overrides })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub as string)
      .setIssuer(ctx().platform.config.publicUrl)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(nowS())
      .setExpirationTime(nowS() + 600);

  beforeAll(async () => {
    a = await createOrgWithUsers(ctx().platform, { slug: 'jwt' });
    url = await listen(ctx().app);
    const s = await loginAs(ctx().app, a.emails.agent);
    good = s.accessToken;
    const payload = JSON.parse(Buffer.from(good.split('.')[1] as string, 'base64url').toString());
    claims = { sub: payload.sub, org: payload.org, role: payload.role, sid: payload.sid, kind: payload.kind };
    const r = await loginAs(ctx().app, a.emails.agent);
    await ctx().app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${r.accessToken}` },
    });
    revoked = r.accessToken;
  });

  const cases: [string, () => Promise<string>, string][] = [
    [
      'alg none',
      async () =>
        new UnsecuredJWT(claims)
          .setIssuer(ctx().platform.config.publicUrl)
          .setAudience(JWT_AUDIENCE)
          .setSubject(claims.sub as string)
          .setIssuedAt(nowS())
          .setExpirationTime(nowS() + 600)
          .encode(),
      'token_invalid',
    ],
    ['wrong algorithm (HS512, same secret)', async () => hs('HS512').sign(key()), 'token_invalid'],
    [
      'wrong algorithm (RS256)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return hs('RS256').sign(privateKey);
      },
      'token_invalid',
    ],
    ['bad signature', async () => hs('HS256').sign(new TextEncoder().encode('x'.repeat(48))), 'token_invalid'],
    [
      'tampered payload',
      async () => {
        const [h, p, sig] = good.split('.') as [string, string, string];
        const body = JSON.parse(Buffer.from(p, 'base64url').toString());
        const forged = Buffer.from(JSON.stringify({ ...body, role: 'admin' })).toString('base64url');
        return `${h}.${forged}.${sig}`;
      },
      'token_invalid',
    ],
    [
      'expired',
      async () =>
        hs('HS256')
          .setIssuedAt(nowS() - 3600)
          .setExpirationTime(nowS() - 60)
          .sign(key()),
      'token_expired',
    ],
    [
      'not yet valid (nbf in the future)',
      async () =>
        hs('HS256')
          .setNotBefore(nowS() + 3600)
          .sign(key()),
      'token_invalid',
    ],
    ['wrong audience', async () => hs('HS256').setAudience('someone-else').sign(key()), 'token_invalid'],
    ['wrong issuer', async () => hs('HS256').setIssuer('https://evil.example').sign(key()), 'token_invalid'],
    [
      'no expiry',
      async () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(claims.sub as string)
          .setIssuer(ctx().platform.config.publicUrl)
          .setAudience(JWT_AUDIENCE)
          .setIssuedAt(nowS())
          .sign(key()),
      'token_invalid',
    ],
    // Signed with the real key (as if it leaked): the session, not the claim, decides the role and kind.
    [
      'role claim raised to admin, correctly signed',
      async () => withClaims({ role: 'admin' }).sign(key()),
      'token_invalid',
    ],
    [
      'kind claim changed to visitor, correctly signed',
      async () => withClaims({ kind: 'visitor' }).sign(key()),
      'token_invalid',
    ],
    ['garbage', async () => 'not.a.jwt', 'token_invalid'],
    ['revoked session', async () => revoked, 'session_revoked'],
  ];

  it('accepts the genuine token, and a correctly forged one (so the cases below test one defect each)', async () => {
    const res = await ctx().app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${good}` },
    });
    expect(res.statusCode).toBe(200);
    const control = await hs('HS256').sign(key());
    const ok = await ctx().app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${control}` },
    });
    expect(ok.statusCode).toBe(200);
    (await connectSocket(url, control)).close();
  });

  it('a token accepted before stops working once it expires (verified tokens are remembered only until then)', async () => {
    const shortLived = await hs('HS256')
      .setExpirationTime(nowS() + 60)
      .sign(key());
    const me = () =>
      ctx().app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${shortLived}` } });
    expect((await me()).statusCode).toBe(200);
    expect((await me()).statusCode).toBe(200);
    ctx().clock.advance(66_000); // past exp and the 5 s tolerance
    const res = await me();
    expect([res.statusCode, res.json().code]).toEqual([401, 'token_expired']);
  });

  for (const [name, make, code] of cases) {
    it(`${name}: 401 ${code} on REST, socket refused`, async () => {
      const token = await make();
      const res = await ctx().app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe(code);
      await expect(connectSocket(url, token)).rejects.toMatchObject({ message: code, data: { code } });
    });
  }

  it('a malformed Authorization header is unauthenticated', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', `Token ${good}`]) {
      const res = await ctx().app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
  });
});
