// Small, domain-free cryptographic helpers. Everything secret is compared in constant time and
// every stored token or code is a keyed hash, never the value itself.
import { hash, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A random token of `bytes` bytes (default 32 = 256 bits), base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A numeric code of `digits` digits from the CSPRNG, leading zeros kept. */
export function randomDigits(digits = 6): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += String(randomInt(10));
  return out;
}

// HMAC-SHA256 (RFC 2104) from two one-shot hashes over precomputed key pads: no Hmac object per
// call. Creating one costs several microseconds, which showed in per-request session hashing
// and dominated importing millions of student records (a blind index per row).
const pads = new WeakMap<Buffer, { inner: Buffer; outer: Buffer }>();

function padsOf(key: Buffer) {
  let p = pads.get(key);
  if (!p) {
    const k = key.length > 64 ? hash('sha256', key, 'buffer') : key;
    const inner = Buffer.alloc(64, 0x36);
    const outer = Buffer.alloc(64, 0x5c);
    for (let i = 0; i < k.length; i++) {
      inner[i]! ^= k[i]!;
      outer[i]! ^= k[i]!;
    }
    pads.set(key, (p = { inner, outer }));
  }
  return p;
}

export function hmacSha256(key: Buffer, value: string | Buffer): Buffer {
  const { inner, outer } = padsOf(key);
  const message = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const innerHash = hash('sha256', Buffer.concat([inner, message]), 'buffer');
  return hash('sha256', Buffer.concat([outer, innerHash]), 'buffer');
}

/** Equal-length check first leaks only the length, which callers fix anyway (hashes). */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Independent sub-keys from one master secret, one per purpose (RFC 5869). */
export function deriveKey(master: Buffer, purpose: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `tongxing:${purpose}`, length));
}
