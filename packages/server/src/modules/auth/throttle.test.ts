import { beforeAll, expect, it } from 'vitest';
import { createOrgWithUsers, describeApp, type OrgFixture } from '../../test/auth.js';
import { LOGIN_RULES } from './auth.service.js';

describeApp('login throttling', (ctx) => {
  let a: OrgFixture;
  beforeAll(async () => {
    a = await createOrgWithUsers(ctx().platform, { slug: 'brute' });
  });
  const login = (email: string, password: string, remoteAddress = '10.0.0.1') =>
    ctx().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

  it('throttles the 6th wrong password within a minute for one account; the owner gets in after the window', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await login(a.emails.agent, `wrong password ${i}`);
      expect(res.statusCode, `attempt ${i}`).toBe(401);
      ctx().clock.advance(5_000);
    }
    const sixth = await login(a.emails.agent, 'wrong password 6');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(sixth.json().code).toBe('rate_limited');
    // The first failure (t = 0) leaves the window at 60 s; it is now 25 s.
    expect(sixth.headers['retry-after']).toBe('35');
    expect(sixth.json().detail).toMatch(/too many failed sign-ins for this account from your network/i);
    // Even the right password waits from this address: answering it would let the throttle be probed.
    expect((await login(a.emails.agent, a.password)).statusCode).toBe(429);
    // The owner, from their own address, is not locked out by a stranger's guesses.
    expect((await login(a.emails.agent, a.password, '10.9.9.9')).statusCode).toBe(200);
    // Other accounts are not affected.
    expect((await login(a.emails.supervisor, a.password)).statusCode).toBe(200);

    ctx().clock.advance(35_000);
    const owner = await login(a.emails.agent, a.password);
    expect(owner.statusCode).toBe(200);
    // A success clears the account's counters.
    for (let i = 1; i <= 5; i++) expect((await login(a.emails.agent, 'wrong again')).statusCode).toBe(401);
    ctx().clock.advance(61_000);
  });

  it('locks one address out of an account for the day before 100 failures; the owner elsewhere still gets in', async () => {
    let failures = 0;
    let locked = false;
    while (!locked && failures < 100) {
      const res = await login(a.emails.customer, 'guess', '10.1.1.1');
      if (res.statusCode === 429) {
        locked = true;
        break;
      }
      expect(res.statusCode).toBe(401);
      failures++;
      // Stay under the per-minute rule (5 a minute) and the account's hourly one.
      if (failures % 5 === 0) ctx().clock.advance(61_000);
      if (failures % 50 === 0) ctx().clock.advance(3_600_000);
    }
    expect(locked).toBe(true);
    expect(failures).toBe(LOGIN_RULES.pairDaily.limit);
    ctx().clock.advance(61_000);
    const stillLocked = await login(a.emails.customer, a.password, '10.1.1.1');
    expect(stillLocked.statusCode).toBe(429);
    expect(Number(stillLocked.headers['retry-after'])).toBeGreaterThan(3600);
    expect((await login(a.emails.customer, a.password, '10.2.2.2')).statusCode).toBe(200);
    ctx().clock.advance(24 * 3_600_000);
    expect((await login(a.emails.customer, a.password, '10.1.1.1')).statusCode).toBe(200);
  });

  it('slows a guesser spread over many addresses for at most an hour', async () => {
    let failures = 0;
    for (; failures < LOGIN_RULES.accountHourly.limit; failures++) {
      // A new address every 4 guesses: no pair and no address reaches its own limit.
      const res = await login(a.emails.admin, 'guess', `10.3.${Math.floor(failures / 4)}.1`);
      expect(res.statusCode, `guess ${failures}`).toBe(401);
    }
    const blocked = await login(a.emails.admin, a.password, '10.4.4.4');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(3600);
    ctx().clock.advance(3_600_000);
    expect((await login(a.emails.admin, a.password, '10.4.4.4')).statusCode).toBe(200);
  });

  it('throttles one address spraying passwords over many accounts', async () => {
    const ip = '10.66.6.6';
    for (let i = 0; i < LOGIN_RULES.ip.limit; i++) {
      expect((await login(`nobody-${i}@brute.test`, 'guess', ip)).statusCode).toBe(401);
    }
    const res = await login('nobody-x@brute.test', 'guess', ip);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Others are not affected.
    expect((await login(a.emails.admin, a.password, '10.7.7.7')).statusCode).toBe(200);
  });
});
