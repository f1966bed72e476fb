// Why the full ID number was read, for the security log of a copy: each `identity.decrypted`
// event records a purpose code (identity/service.ts revealIdNumber); the person is told in words,
// and for a platform which one received it (PIPL art. 23: who the information was provided to).
import type { Translate } from '../i18n/index.ts';

export interface DecryptionPurpose {
  purpose: string;
  platform?: { client_id: string; name: string | null };
  reason?: string;
}

/** The platform a purpose code names (`sso:<client>` by OIDC, `cas:<client>` by CAS), if any. */
export function platformOfPurpose(code: string): string | undefined {
  return /^(?:sso|cas):(.+)$/.exec(code)?.[1];
}

export function describePurpose(code: string, actorKind: string, names: Map<string, string>, t: Translate): DecryptionPurpose {
  const client = platformOfPurpose(code);
  if (client !== undefined) {
    const name = names.get(client) ?? null;
    return { purpose: t('export.purpose.platform', { name: name ?? client }), platform: { client_id: client, name } };
  }
  if (code.startsWith('data_export:')) return { purpose: t('export.purpose.data_export') };
  if (code === 'liveness check') return { purpose: t('export.purpose.liveness') };
  if (code.startsWith('photo review ')) return { purpose: t('export.purpose.photo_review') };
  // A staff member's reveal in the console carries the reason they typed.
  if (actorKind === 'staff') return { purpose: t('export.purpose.staff'), reason: code };
  return { purpose: code };
}
