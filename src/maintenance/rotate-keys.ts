// `tongxing keys rotate`: everything sealed with the field keys is re-sealed under the active key
// (the first of ID_ENCRYPTION_KEYS): ID numbers, ID photos, enterprises' stamped letters, staff
// TOTP secrets, platform secrets and the SSO signing keys. Each row's update is guarded by its old key id, so a row another process rotated in the
// meantime is left alone. Afterwards the old key can be removed from the configuration.
import type { Db } from '../db/client.ts';
import { openBytes, sealBytes, type FieldKeys } from '../lib/field-crypto.ts';
import { rotateIdKeys } from '../identity/service.ts';
import { photoAad } from '../resolution/photo-path.ts';
import { secretAad } from '../sso/clients.ts';
import { signingKeyAad } from '../sso/signing-keys.ts';
import type { PhotoKind } from '../db/schema.ts';
import { letterAad } from '../enterprise/service.ts';
import { totpAad } from '../admin/staff-auth.ts';

const reseal = (keys: FieldKeys, keyId: string, data: Buffer, aad: string) => sealBytes(keys, openBytes(keys, { keyId, data: Buffer.from(data) }, aad), aad);

export async function rotateSealedData(deps: { db: Db; keys: FieldKeys }): Promise<Record<string, number>> {
  const active = deps.keys.activeKeyId;
  const counts = { idNumbers: await rotateIdKeys(deps), photos: 0, letters: 0, staffSecrets: 0, platformSecrets: 0, signingKeys: 0 };

  for (const row of await deps.db.selectFrom('photo_files').select(['review_id', 'kind', 'key_id', 'cipher']).where('key_id', '<>', active).execute()) {
    const sealed = reseal(deps.keys, row.key_id, row.cipher, photoAad(row.review_id, row.kind as PhotoKind));
    await deps.db
      .updateTable('photo_files')
      .set({ key_id: sealed.keyId, cipher: sealed.data })
      .where('review_id', '=', row.review_id)
      .where('kind', '=', row.kind)
      .where('key_id', '=', row.key_id)
      .execute();
    counts.photos++;
  }
  for (const row of await deps.db
    .selectFrom('enterprise_requests')
    .select(['id', 'letter_key_id', 'letter_cipher'])
    .where('letter_key_id', '<>', active)
    .execute()) {
    const sealed = reseal(deps.keys, row.letter_key_id, row.letter_cipher, letterAad(row.id));
    await deps.db
      .updateTable('enterprise_requests')
      .set({ letter_key_id: sealed.keyId, letter_cipher: sealed.data })
      .where('id', '=', row.id)
      .where('letter_key_id', '=', row.letter_key_id)
      .execute();
    counts.letters++;
  }
  for (const row of await deps.db.selectFrom('staff_accounts').select(['id', 'totp_key_id', 'totp_cipher']).where('totp_key_id', '<>', active).execute()) {
    if (!row.totp_key_id || !row.totp_cipher) continue;
    const sealed = reseal(deps.keys, row.totp_key_id, row.totp_cipher, totpAad(row.id));
    await deps.db
      .updateTable('staff_accounts')
      .set({ totp_key_id: sealed.keyId, totp_cipher: sealed.data })
      .where('id', '=', row.id)
      .where('totp_key_id', '=', row.totp_key_id)
      .execute();
    counts.staffSecrets++;
  }
  for (const row of await deps.db
    .selectFrom('oidc_clients')
    .select(['client_id', 'secret_key_id', 'secret_cipher'])
    .where('secret_key_id', '<>', active)
    .execute()) {
    const sealed = reseal(deps.keys, row.secret_key_id, row.secret_cipher, secretAad(row.client_id));
    await deps.db
      .updateTable('oidc_clients')
      .set({ secret_key_id: sealed.keyId, secret_cipher: sealed.data })
      .where('client_id', '=', row.client_id)
      .where('secret_key_id', '=', row.secret_key_id)
      .execute();
    counts.platformSecrets++;
  }
  for (const row of await deps.db.selectFrom('oidc_signing_keys').select(['kid', 'key_id', 'jwk_cipher']).where('key_id', '<>', active).execute()) {
    const sealed = reseal(deps.keys, row.key_id, row.jwk_cipher, signingKeyAad(row.kid));
    await deps.db
      .updateTable('oidc_signing_keys')
      .set({ key_id: sealed.keyId, jwk_cipher: sealed.data })
      .where('kid', '=', row.kid)
      .where('key_id', '=', row.key_id)
      .execute();
    counts.signingKeys++;
  }
  return counts;
}
