// `tongxing keys rotate`: everything sealed with the field keys is re-sealed under the active key
// (the first of ID_ENCRYPTION_KEYS), each kind by the module that owns it: ID numbers, ID photos,
// enterprises' stamped letters, staff TOTP secrets, platform secrets, the SSO signing keys and
// copies of personal data waiting to be downloaded (下载个人信息).
// Each row's update is guarded by its old key id, so a row another process rotated in the
// meantime is left alone. Afterwards the old key can be removed from the configuration.
import type { Db } from '../db/client.ts';
import type { FieldKeys } from '../lib/field-crypto.ts';
import { rotateIdKeys } from '../identity/service.ts';
import { rotatePhotoKeys } from '../resolution/photo-path.ts';
import { rotateClientSecretSeals } from '../sso/clients.ts';
import { rotateSigningKeySeals } from '../sso/signing-keys.ts';
import { rotateLetterKeys } from '../enterprise/service.ts';
import { rotateTotpKeys } from '../admin/staff-auth.ts';
import { rotatePersonTotpKeys } from '../mfa/second-factor.ts';
import { rotateExportKeys } from '../privacy-export/keys.ts';

export async function rotateSealedData(deps: { db: Db; keys: FieldKeys }): Promise<Record<string, number>> {
  return {
    idNumbers: await rotateIdKeys(deps),
    photos: await rotatePhotoKeys(deps),
    letters: await rotateLetterKeys(deps),
    staffSecrets: await rotateTotpKeys(deps),
    personSecrets: await rotatePersonTotpKeys({ db: deps.db, identity: { keys: deps.keys } }),
    platformSecrets: await rotateClientSecretSeals(deps),
    signingKeys: await rotateSigningKeySeals(deps),
    dataExports: await rotateExportKeys(deps),
  };
}
