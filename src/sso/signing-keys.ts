// The keys that sign ID tokens. Private parts are sealed like ID numbers. `tongxing sso
// rotate-key` adds a key, published at once by every node (publishedJwks); it signs only once it
// has been published for PUBLISH_AHEAD_MS, longer than platforms may cache the key set
// (JWKS_MAX_AGE_SECONDS), so no platform meets a token signed by a key its cached set lacks —
// then every running node signs with it within KEY_CHECK_MS (live-provider.ts). Older keys stay
// published so tokens they signed keep verifying until `--retire-older-than DAYS` retires them.
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

/** How long platforms may keep /oidc/jwks (its Cache-Control). */
export const JWKS_MAX_AGE_SECONDS = 60;
/** A new key is published this long before it signs: past every cached copy of the set without it. */
export const PUBLISH_AHEAD_MS = 2 * JWKS_MAX_AGE_SECONDS * 1000;

/**
 * Which live key signs at `now` (rows newest first): the newest published for PUBLISH_AHEAD_MS;
 * when none is that old, the oldest there is (the first key of a new cluster signs at once).
 */
export function signingKeyAt<T extends { created_at: Date }>(rows: readonly T[], now: Date): T | undefined {
  return rows.find((row) => row.created_at.getTime() <= now.getTime() - PUBLISH_AHEAD_MS) ?? rows.at(-1);
}

/** The key set in the provider's order: the signing key first (it signs with the first that fits), then the rest. */
function signingFirst<T extends { created_at: Date }>(rows: T[], now: Date): T[] {
  const signing = signingKeyAt(rows, now);
  return signing ? [signing, ...rows.filter((row) => row !== signing)] : rows;
}

/** The kid that signs now, for live-provider.ts to notice a rotation coming due. */
export async function currentSigningKid(deps: Pick<KeyDeps, 'db' | 'clock'>): Promise<string | undefined> {
  return signingKeyAt(await q.liveSigningKeys(deps.db), deps.clock.now())?.kid;
}
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
 * The published keys, the one that signs now first (signingKeyAt). The first node to start makes
 * one, under the table's lock: nodes starting together share it rather than each making and
 * signing with its own (which the others would not publish).
 */
export async function signingJwks(deps: KeyDeps): Promise<JWK[]> {
  const rows = await q.liveSigningKeys(deps.db);
  if (rows.length > 0) return unsealed(deps, signingFirst(rows, deps.clock.now()));
  return q.withSigningKeysLocked(deps.db, async (tx) => {
    if ((await q.liveSigningKeys(tx)).length === 0) await addSigningKey(deps, tx);
    return unsealed(deps, signingFirst(await q.liveSigningKeys(tx), deps.clock.now()));
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

/**
 * Stops publishing keys replaced more than `days` ago. A key is replaced once the next newer one
 * signs, PUBLISH_AHEAD_MS after that one was made — not when it was made: right after a rotation
 * the older key still signs, and retiring it would leave its fresh tokens unverifiable and the
 * cached key sets without the new key. So the key that signs now (signingKeyAt) and the newer ones
 * still published ahead are never retired, whatever `days` says.
 */
export async function retireSigningKeys(deps: KeyDeps, days: number): Promise<number> {
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`retireSigningKeys: days must be a number of days, not ${days}`);
  const rows = await q.liveSigningKeys(deps.db);
  const now = deps.clock.now();
  const signing = signingKeyAt(rows, now);
  // Newest first: only the keys older than the one signing now were ever replaced.
  const firstReplaced = signing ? rows.indexOf(signing) + 1 : rows.length;
  const cutoff = now.getTime() - days * DAY;
  let retired = 0;
  for (let i = firstReplaced; i < rows.length; i++) {
    if (rows[i - 1]!.created_at.getTime() + PUBLISH_AHEAD_MS < cutoff) {
      await q.retireSigningKey(deps.db, rows[i]!.kid, now);
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
