// The keys that sign ID tokens. Private parts are sealed like ID numbers. The newest key signs;
// older ones stay published in the JWKS so tokens they signed keep verifying until retired.
// `tongxing sso rotate-key` adds a new key (published at once by every node, see publishedJwks;
// every running node signs with it within KEY_CHECK_MS, see live-provider.ts) and
// `--retire-older-than DAYS` stops publishing keys replaced that long ago.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'oidc-provider';
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { open, resealAll, seal, type FieldKeys } from '../lib/field-crypto.ts';
import * as q from './platform-queries.ts';
import { DAY } from '../lib/clock.ts';

export interface KeyDeps {
  db: Db;
  clock: Clock;
  keys: FieldKeys;
}

export const signingKeyAad = (kid: string) => `oidc-signing-key:${kid}`;
const aad = signingKeyAad;

export async function addSigningKey(deps: KeyDeps, db: Executor = deps.db): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `${deps.clock.now().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const sealed = seal(deps.keys, JSON.stringify(jwk), aad(kid));
  await q.insertSigningKey(db, { kid, keyId: sealed.keyId, cipher: sealed.data, at: deps.clock.now() });
  return kid;
}

const unsealed = (deps: KeyDeps, rows: Awaited<ReturnType<typeof q.liveSigningKeys>>) =>
  rows.map((row) => JSON.parse(open(deps.keys, { keyId: row.key_id, data: Buffer.from(row.jwk_cipher) }, aad(row.kid))) as JWK);

/**
 * The published keys, newest (the signing one) first. The first node to start makes one, under
 * the table's lock: nodes starting together share it rather than each making and signing with
 * its own (which the others would not publish).
 */
export async function signingJwks(deps: KeyDeps): Promise<JWK[]> {
  const rows = await q.liveSigningKeys(deps.db);
  if (rows.length > 0) return unsealed(deps, rows);
  return q.withSigningKeysLocked(deps.db, async (tx) => {
    if ((await q.liveSigningKeys(tx)).length === 0) await addSigningKey(deps, tx);
    return unsealed(deps, await q.liveSigningKeys(tx));
  });
}

/**
 * What /oidc/jwks publishes, read at each request (not the provider's copy from its start): every
 * node publishes every live key, so a token any node signed verifies wherever a platform fetched
 * the set, and a key added by `tongxing sso rotate-key` is published at once everywhere, before
 * the restarted nodes sign with it.
 */
export async function publishedJwks(deps: KeyDeps): Promise<{ keys: Array<Record<string, unknown>> }> {
  const keys = unsealed(deps, await q.liveSigningKeys(deps.db));
  return { keys: keys.map(({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use })) };
}

/** Stops publishing keys that were replaced more than `days` ago (never the newest). */
export async function retireSigningKeys(deps: KeyDeps, days: number): Promise<number> {
  const rows = await q.liveSigningKeys(deps.db);
  const cutoff = deps.clock.now().getTime() - days * DAY;
  let retired = 0;
  // A key was replaced when the next newer key was made.
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1]!.created_at.getTime() < cutoff) {
      await q.retireSigningKey(deps.db, rows[i]!.kid, deps.clock.now());
      retired++;
    }
  }
  return retired;
}

/** `tongxing keys rotate`: the signing keys sealed under an older key, re-sealed under the active one. */
export async function rotateSigningKeySeals(deps: { db: Db; keys: FieldKeys }): Promise<number> {
  const rows = await q.signingKeysUnderOtherKeys(deps.db, deps.keys.activeKeyId);
  return resealAll(
    deps.keys,
    rows,
    (r) => ({ sealed: { keyId: r.key_id, data: r.jwk_cipher }, aad: aad(r.kid) }),
    (r, sealed, oldKeyId) => q.replaceSigningKeyCipher(deps.db, r.kid, oldKeyId, sealed.keyId, sealed.data),
  );
}
