// Recovery codes: the way in when the authenticator is lost, for staff and people alike. Ten at a
// time, 50 bits each (10 base32 letters and digits, shown as "abcde-fghij"), kept only as keyed
// hashes of their canonical form, so case, spaces and the dash do not matter when one is typed.
import { randomBytes } from 'node:crypto';
import { base32 } from './totp.ts';

export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const code = base32(randomBytes(7)).slice(0, 10).toLowerCase();
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/** What is hashed: upper case, only the base32 alphabet (the dash and spaces dropped). */
export const canonicalRecoveryCode = (typed: string) => typed.toUpperCase().replace(/[^A-Z2-7]/g, '');
