// An authenticator app, as a test holds one: the key the set-up page shows (base32, in groups of
// four) and the code it would show at a given time, computed with RFC 6238 as any app does.
import { hotp, totpStep } from '../../src/lib/totp.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/\s/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export class Authenticator {
  readonly secret: Buffer;
  constructor(shownKey: string) {
    this.secret = base32Decode(shownKey);
  }
  /** The code shown at `at` (the service's clock, in tests). */
  codeAt(at: Date): string {
    return hotp(this.secret, totpStep(at));
  }
}

/** The key in a set-up page (<span id="totp-secret">). */
export const shownKey = (html: string) => /id="totp-secret">([^<]+)</.exec(html)![1]!.trim();

/** The recovery codes a page shows once (<ol id="recovery-codes">). */
export const shownRecoveryCodes = (html: string) =>
  [...(/<ol class="codes" id="recovery-codes">(.*?)<\/ol>/s.exec(html)?.[1] ?? '').matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]!);
