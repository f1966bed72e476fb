// The service's secrets. In production SECRET_KEY must be configured; elsewhere a key is made on
// first start and kept in DATA_DIR (mode 0600) so sessions and codes survive a restart.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { deriveKey } from './crypto.ts';
import type { FieldKeys } from './field-crypto.ts';

export interface Keyring {
  /** Signs cookies (CSRF secret cookie). */
  cookieSecret: Buffer;
  /** Keys the hashes of verification codes and link tokens. */
  codeKey: Buffer;
  /** Keys the hashes of session tokens. */
  sessionKey: Buffer;
  /** Keys hashes of identifiers kept only for rate limits (phone, IP). */
  limiterKey: Buffer;
  /** Encrypts and indexes ID numbers. */
  idKeys: FieldKeys;
}

/**
 * Without configured ID keys (development, tests) they derive from the master secret under the
 * key id "dev"; production must configure its own so they can be rotated independently.
 */
export function keyringFromSecret(master: Buffer, idKeys?: FieldKeys): Keyring {
  return {
    idKeys: idKeys ?? { activeKeyId: 'dev', keys: new Map([['dev', deriveKey(master, 'id-encryption')]]), indexKey: deriveKey(master, 'id-index') },
    cookieSecret: deriveKey(master, 'cookie'),
    codeKey: deriveKey(master, 'code'),
    sessionKey: deriveKey(master, 'session'),
    limiterKey: deriveKey(master, 'limiter'),
  };
}

const SECRET_FILE = 'secret.key';

/** Reads SECRET_KEY, or the generated key in dataDir (creating it when `generate` is allowed). */
export function loadMasterSecret(options: { secretKey: string | undefined; dataDir: string; generate: boolean }): Buffer {
  if (options.secretKey) return Buffer.from(options.secretKey, 'base64');
  const file = join(options.dataDir, SECRET_FILE);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (!options.generate) throw new Error('SECRET_KEY is not set');
  mkdirSync(options.dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}
