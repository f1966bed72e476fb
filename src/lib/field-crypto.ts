// Encryption of sensitive fields (ID numbers) with AES-256-GCM, and keyed blind indexes to find
// them without decrypting. Each ciphertext names its key (key id + ciphertext), so keys can be
// rotated: add a new active key, re-encrypt (`tongxing keys rotate`), retire the old one.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { hmacSha256 } from './crypto.ts';

export interface FieldKeys {
  /** The key new ciphertexts use. */
  activeKeyId: string;
  /** Every key that may still be needed to decrypt, by id (the active one included). */
  keys: ReadonlyMap<string, Buffer>;
  /** Keys the blind index; changing it means rebuilding every index. */
  indexKey: Buffer;
}

export interface Sealed {
  keyId: string;
  /** iv (12) | tag (16) | ciphertext */
  data: Buffer;
}

export class UnknownKeyError extends Error {
  override name = 'UnknownKeyError';
}

/** `aad` binds the ciphertext to its place (e.g. the row id), so it cannot be moved elsewhere. */
export function seal(keys: FieldKeys, plaintext: string, aad: string): Sealed {
  return sealBytes(keys, Buffer.from(plaintext, 'utf8'), aad);
}

/** Bytes (uploaded photos) sealed the same way. */
export function sealBytes(keys: FieldKeys, plaintext: Buffer, aad: string): Sealed {
  const key = keys.keys.get(keys.activeKeyId);
  if (!key) throw new UnknownKeyError(`active key ${keys.activeKeyId} is not configured`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: keys.activeKeyId, data: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

export function open(keys: FieldKeys, sealed: Sealed, aad: string): string {
  return openBytes(keys, sealed, aad).toString('utf8');
}

export function openBytes(keys: FieldKeys, sealed: Sealed, aad: string): Buffer {
  const key = keys.keys.get(sealed.keyId);
  if (!key) throw new UnknownKeyError(`key ${sealed.keyId} is not configured; it is needed to read existing data`);
  const data = Buffer.from(sealed.data);
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
}

/** The same input always gives the same index; without the key it reveals nothing. */
export function blindIndex(keys: FieldKeys, domain: string, canonical: string): Buffer {
  return hmacSha256(keys.indexKey, `${domain}\0${canonical}`);
}

/** Parses ID_ENCRYPTION_KEYS: "kid:base64key,kid2:base64key2", the first one active. */
export function parseKeyList(value: string): { activeKeyId: string; keys: Map<string, Buffer> } {
  const keys = new Map<string, Buffer>();
  let activeKeyId = '';
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const colon = part.indexOf(':');
    const id = part.slice(0, colon);
    const key = Buffer.from(part.slice(colon + 1), 'base64');
    if (colon < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`key id "${id}" must be 1-32 letters, digits, _ or -`);
    if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes, base64`);
    if (keys.has(id)) throw new Error(`key id ${id} appears twice`);
    keys.set(id, key);
    activeKeyId ||= id;
  }
  if (!activeKeyId) throw new Error('no key given');
  return { activeKeyId, keys };
}

/**
 * Re-seals under the active key every row an older key sealed (`tongxing keys rotate`), one at a
 * time. `replace` writes the new sealed value only where the row still holds `oldKeyId`, so a row
 * another process rotated in the meantime is left as it is. Answers how many rows it read.
 */
export async function resealAll<R>(
  keys: FieldKeys,
  rows: readonly R[],
  sealedOf: (row: R) => { sealed: Sealed; aad: string },
  replace: (row: R, sealed: Sealed, oldKeyId: string) => Promise<void>,
): Promise<number> {
  for (const row of rows) {
    const { sealed, aad } = sealedOf(row);
    await replace(row, sealBytes(keys, openBytes(keys, { keyId: sealed.keyId, data: Buffer.from(sealed.data) }, aad), aad), sealed.keyId);
  }
  return rows.length;
}
