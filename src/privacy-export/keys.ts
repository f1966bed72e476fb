// `tongxing keys rotate` for the copies waiting to be downloaded: each is sealed with the field
// keys, so one built before a rotation is re-sealed like every other sealed row and can still be
// opened once the old key is removed.
import type { Db } from '../db/client.ts';
import { resealAll, type FieldKeys } from '../lib/field-crypto.ts';
import { fileAad } from './service.ts';
import * as q from './queries.ts';

export async function rotateExportKeys(deps: { db: Db; keys: FieldKeys }): Promise<number> {
  const rows = await q.exportsUnderOtherKeys(deps.db, deps.keys.activeKeyId);
  return resealAll(
    deps.keys,
    rows,
    (r) => ({ sealed: { keyId: r.file_key_id!, data: r.file_cipher! }, aad: fileAad(r.id) }),
    (r, sealed, oldKeyId) => q.replaceExportCipher(deps.db, r.id, oldKeyId, sealed.keyId, sealed.data),
  );
}
