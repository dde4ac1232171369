import { describe, expect, it } from 'vitest';
import { assertAcceptablePassword } from './password-policy.js';

const refused = (password: string, email = 'ann.lee@acme.test') => {
  try {
    assertAcceptablePassword(password, email);
    return undefined;
  } catch (err) {
    return (err as { code: string; details: { errors: { message: string }[] } }).details.errors[0]?.message;
  }
};

describe('password policy', () => {
  it.each([
    'password123',
    'qwertyuiop',
    '1234567890',
    'iloveyou12',
    'Password1!',
    'football2024',
    'letmein1234',
  ])('refuses the common password %s', (p) => expect(refused(p)).toMatch(/most common/));

  it('refuses the account’s own email or its name part, in any case', () => {
    expect(refused('ANN.LEE@ACME.TEST')).toMatch(/email/);
    expect(refused('ann.lee')).toMatch(/email/);
    expect(refused('ann.lee2024!')).toMatch(/email/);
  });

  it.each([
    'correct horse battery staple',
    'switchboard-demo',
    'Tr0ub4dor&3-Zebra',
    'a long passphrase of mine',
  ])('accepts %s', (p) => expect(refused(p)).toBeUndefined());
});
