// Small, domain-free cryptographic helpers. Everything secret is compared in constant time and
// every stored token or code is a keyed hash, never the value itself.
import { createHmac, createSecretKey, hkdfSync, randomBytes, randomInt, timingSafeEqual, type KeyObject } from 'node:crypto';

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

// Node builds a key object for every HMAC given a raw Buffer (~12 µs); a cached KeyObject makes
// the per-request session-token hash about five times cheaper.
const keyObjects = new WeakMap<Buffer, KeyObject>();

export function hmacSha256(key: Buffer, value: string | Buffer): Buffer {
  let keyObject = keyObjects.get(key);
  if (!keyObject) keyObjects.set(key, (keyObject = createSecretKey(key)));
  return createHmac('sha256', keyObject).update(value).digest();
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
