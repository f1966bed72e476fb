// SQL for consent_records: adding what an account agreed to, and reading it back.
import type { Executor } from '../db/client.ts';
import type { ConsentDocument } from '../db/schema.ts';

export interface ConsentRow {
  document: ConsentDocument;
  version: string;
  /** What filled the wording's placeholders when it was shown (sensitive consents only). */
  params?: Record<string, string> | undefined;
}

export async function insertConsents(db: Executor, accountId: string, rows: readonly ConsentRow[], at: Date, ip: string | null): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('consent_records')
    .values(
      rows.map((r) => ({
        account_id: accountId,
        document: r.document,
        version: r.version,
        accepted_at: at,
        ip,
        purpose_params: r.params ? JSON.stringify(r.params) : null,
      })),
    )
    .execute();
}

/** Every version of `documents` the account agreed to, oldest first. */
export async function agreedVersions(db: Executor, accountId: string, documents: readonly ConsentDocument[]): Promise<ConsentRow[]> {
  return db
    .selectFrom('consent_records')
    .select(['document', 'version'])
    .where('account_id', '=', accountId)
    .where('document', 'in', documents)
    .orderBy('accepted_at')
    .execute();
}

/** Every consent of the account, oldest first (下载个人信息 and the console show them). */
export async function consentHistory(db: Executor, accountId: string) {
  return db
    .selectFrom('consent_records')
    .select(['document', 'version', 'accepted_at', 'ip', 'purpose_params'])
    .where('account_id', '=', accountId)
    .orderBy('accepted_at')
    .orderBy('id')
    .execute();
}

/** Erasure after retention: the addresses consents were given from (the facts stay as proof). */
export async function forgetConsentAddresses(db: Executor, accountId: string): Promise<number> {
  const result = await db.updateTable('consent_records').set({ ip: null }).where('account_id', '=', accountId).where('ip', 'is not', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
