// The keys that sign ID tokens. Private parts are sealed like ID numbers. The newest key signs;
// older ones stay published in the JWKS so tokens they signed keep verifying until retired.
// `tongxing sso rotate-key` adds a new key (the service picks it up at its next start) and
// `--retire-older-than DAYS` stops publishing keys replaced that long ago.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { open, seal, type FieldKeys } from '../lib/field-crypto.ts';
import { DAY } from '../lib/clock.ts';

export interface KeyDeps {
  db: Db;
  clock: Clock;
  keys: FieldKeys;
}

export const signingKeyAad = (kid: string) => `oidc-signing-key:${kid}`;
const aad = signingKeyAad;

export async function addSigningKey(deps: KeyDeps): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `${deps.clock.now().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const sealed = seal(deps.keys, JSON.stringify(jwk), aad(kid));
  await deps.db
    .insertInto('oidc_signing_keys')
    .values({ kid, key_id: sealed.keyId, jwk_cipher: sealed.data, created_at: deps.clock.now(), retired_at: null })
    .execute();
  return kid;
}

/** The published keys, newest (the signing one) first; one is made on first use. */
export async function signingJwks(deps: KeyDeps): Promise<JWK[]> {
  let rows = await deps.db.selectFrom('oidc_signing_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').execute();
  if (rows.length === 0) {
    await addSigningKey(deps);
    rows = await deps.db.selectFrom('oidc_signing_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').execute();
  }
  return rows.map((row) => JSON.parse(open(deps.keys, { keyId: row.key_id, data: Buffer.from(row.jwk_cipher) }, aad(row.kid))) as JWK);
}

/** Stops publishing keys that were replaced more than `days` ago (never the newest). */
export async function retireSigningKeys(deps: KeyDeps, days: number): Promise<number> {
  const rows = await deps.db
    .selectFrom('oidc_signing_keys')
    .select(['kid', 'created_at'])
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  const cutoff = deps.clock.now().getTime() - days * DAY;
  let retired = 0;
  // A key was replaced when the next newer key was made.
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1]!.created_at.getTime() < cutoff) {
      await deps.db.updateTable('oidc_signing_keys').set({ retired_at: deps.clock.now() }).where('kid', '=', rows[i]!.kid).execute();
      retired++;
    }
  }
  return retired;
}
