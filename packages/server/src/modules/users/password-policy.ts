import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../errors.js';

/** How many of the most common passwords are refused (the list is ranked, most common first). */
export const COMMON_PASSWORDS_REFUSED = 10_000;

let common: Set<string> | undefined;

/** The top of zxcvbn's ranked list of leaked passwords (shipped in @zxcvbn-ts/language-common). */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].slice(0, COMMON_PASSWORDS_REFUSED));
  return common;
}

/**
 * Refuse a password that is among the 10,000 most common ones (ignoring case, and a trailing run of digits
 * or punctuation people add to satisfy a length rule) or that is the account's own email or its name part.
 * The length rule itself is in the protocol's `PasswordSchema`. Throws `validation_failed` on the field.
 *
 * @example
 * ```ts
 * assertAcceptablePassword('password1234', 'ann@acme.test'); // throws validation_failed
 * ```
 */
export function assertAcceptablePassword(password: string, email: string, field = 'body.password'): void {
  const p = password.trim().toLowerCase();
  const local = email.toLowerCase().split('@')[0] ?? '';
  const bare = p.replace(/[\d\W_]+$/, '');
  let problem: string | undefined;
  if (p === email.toLowerCase() || p === local || bare === local) problem = 'must not be your email address';
  else if (commonPasswords().has(p) || (bare.length >= 4 && commonPasswords().has(bare)))
    problem = 'is one of the most common passwords; choose another';
  if (problem) {
    throw new AppError('validation_failed', `password ${problem}`, { errors: [{ path: field, message: problem }] });
  }
}
