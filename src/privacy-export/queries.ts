// SQL of data_exports (migration 0026): requests, the worker's fenced claims, delivery, expiry.
import { sql } from 'kysely';
import type { Db, Executor } from '../db/client.ts';

export async function insertExport(tx: Executor, row: { accountId: string; withFullId: boolean; lang: string; at: Date }): Promise<string> {
  const inserted = await tx
    .insertInto('data_exports')
    .values({ account_id: row.accountId, state: 'requested', with_full_id: row.withFullId, lang: row.lang, requested_at: row.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The account's exports, newest first (no file bytes). */
export function exportsOfAccount(db: Executor, accountId: string) {
  return db
    .selectFrom('data_exports')
    .select(['id', 'state', 'with_full_id', 'requested_at', 'ready_at', 'expires_at', 'file_bytes'])
    .where('account_id', '=', accountId)
    .orderBy('requested_at', 'desc')
    .execute();
}

/** One export of the account, with what a download needs. */
export function exportOfAccount(db: Executor, accountId: string, id: string) {
  return db
    .selectFrom('data_exports')
    .select(['id', 'state', 'expires_at', 'token_hash', 'file_key_id', 'file_cipher'])
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Claims up to `limit` due exports for `token`: requested ones nobody holds, or whose holder's
 * lease ran out. SKIP LOCKED keeps two claims from taking one row at the same moment; the lease
 * keeps a later claim off it while it is built.
 */
export async function claimDueExports(db: Db, input: { now: Date; lockMs: number; limit: number; token: string }) {
  return db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('data_exports')
      .select('id')
      .where('state', '=', 'requested')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', input.now)]))
      .orderBy('requested_at')
      .limit(input.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return tx
      .updateTable('data_exports')
      .set({ claim_token: input.token, locked_until: new Date(input.now.getTime() + input.lockMs), attempts: sql`attempts + 1` })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .returning(['id', 'account_id', 'with_full_id', 'lang', 'attempts'])
      .execute();
  });
}

/** Marks a claimed export built, if the claim still holds it; false when another took it over. */
export async function markReady(
  tx: Executor,
  id: string,
  token: string,
  file: { keyId: string; cipher: Buffer; bytes: number; tokenHash: Buffer; at: Date; expiresAt: Date },
): Promise<boolean> {
  const row = await tx
    .updateTable('data_exports')
    .set({
      state: 'ready',
      ready_at: file.at,
      expires_at: file.expiresAt,
      file_key_id: file.keyId,
      file_cipher: file.cipher,
      file_bytes: file.bytes,
      token_hash: file.tokenHash,
      claim_token: null,
      locked_until: null,
    })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .where('state', '=', 'requested')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A build that failed: given back for a later pass, or failed for good. */
export async function markBuildFailed(db: Executor, id: string, token: string, outcome: { final: boolean; reason: string; retryAt: Date }): Promise<void> {
  await db
    .updateTable('data_exports')
    .set(
      outcome.final
        ? { state: 'failed', failure: outcome.reason, claim_token: null, locked_until: null }
        : { failure: outcome.reason, claim_token: null, locked_until: outcome.retryAt },
    )
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .where('state', '=', 'requested')
    .execute();
}

/** Gives back claimed rows not yet begun (the worker is stopping). */
export async function releaseExportClaim(db: Executor, token: string): Promise<void> {
  await db
    .updateTable('data_exports')
    .set({ claim_token: null, locked_until: null })
    .where('claim_token', '=', token)
    .where('state', '=', 'requested')
    .execute();
}

/** Ready exports whose 24 hours are over: the file goes, the row stays as "expired" a while. */
export async function expireExports(db: Executor, now: Date): Promise<number> {
  const result = await db
    .updateTable('data_exports')
    .set({ state: 'expired', file_cipher: null, file_key_id: null, token_hash: null })
    .where('state', '=', 'ready')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Exports that ended (expired or failed) before `before`. */
export async function deleteExportsEndedBefore(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('data_exports')
    .where((eb) =>
      eb.or([eb.and([eb('state', '=', 'expired'), eb('expires_at', '<', before)]), eb.and([eb('state', '=', 'failed'), eb('requested_at', '<', before)])]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ready copies sealed under another key than the active one (`tongxing keys rotate`). */
export function exportsUnderOtherKeys(db: Executor, activeKeyId: string) {
  return db
    .selectFrom('data_exports')
    .select(['id', 'file_key_id', 'file_cipher'])
    .where('state', '=', 'ready')
    .where('file_key_id', '<>', activeKeyId)
    .where('file_cipher', 'is not', null)
    .execute();
}

export async function replaceExportCipher(db: Executor, id: string, oldKeyId: string, keyId: string, cipher: Buffer): Promise<void> {
  await db
    .updateTable('data_exports')
    .set({ file_key_id: keyId, file_cipher: cipher })
    .where('id', '=', id)
    .where('file_key_id', '=', oldKeyId)
    .where('state', '=', 'ready')
    .execute();
}

/** A deregistered account's personal information is erased: its copies go too, whatever their state. */
export async function deleteExportsOf(db: Executor, accountId: string): Promise<number> {
  const rows = await db.deleteFrom('data_exports').where('account_id', '=', accountId).returning('id').execute();
  return rows.length;
}
