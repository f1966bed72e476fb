// SQL for one-time codes and link tokens. Only keyed hashes are stored.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';

type NewCode = { id?: string; purpose: string; targetHash: Buffer; codeHash: Buffer; createdAt: Date; expiresAt: Date };

/** Spends the unspent codes for a purpose and target (only those expired by `expiredBy`, when given). */
async function retireCodes(db: Executor, row: NewCode, expiredBy?: Date): Promise<void> {
  let query = db
    .updateTable('verification_codes')
    .set({ consumed_at: row.createdAt })
    .where('purpose', '=', row.purpose)
    .where('target_hash', '=', row.targetHash)
    .where('consumed_at', 'is', null);
  if (expiredBy) query = query.where('expires_at', '<=', expiredBy);
  await query.execute();
}

const codeValues = (row: NewCode) => ({
  ...(row.id ? { id: row.id } : {}),
  purpose: row.purpose,
  target_hash: row.targetHash,
  code_hash: row.codeHash,
  created_at: row.createdAt,
  expires_at: row.expiresAt,
  consumed_at: null,
});

export async function insertCode(db: Executor, row: NewCode): Promise<void> {
  // A new code replaces the older ones for the same purpose and target.
  await retireCodes(db, row);
  await db.insertInto('verification_codes').values(codeValues(row)).execute();
}

/** The live code for a purpose and target, locked so two guesses cannot both pass. */
export async function findLiveCodeForUpdate(db: Executor, purpose: string, targetHash: Buffer) {
  return db
    .selectFrom('verification_codes')
    .select(['id', 'code_hash', 'attempts', 'expires_at'])
    .where('purpose', '=', purpose)
    .where('target_hash', '=', targetHash)
    .where('consumed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function countWrongAttempt(db: Executor, id: string): Promise<number> {
  const row = await db
    .updateTable('verification_codes')
    .set({ attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

export async function consumeCodeIfLive(db: Executor, id: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('verification_codes')
    .set({ consumed_at: at })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertLinkToken(
  db: Executor,
  row: { purpose: string; tokenHash: Buffer; accountId: string; email: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('link_tokens')
    .values({
      purpose: row.purpose,
      token_hash: row.tokenHash,
      account_id: row.accountId,
      email: row.email,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
      consumed_at: null,
    })
    .execute();
}

export async function findLinkTokenForUpdate(db: Executor, purpose: string, tokenHash: Buffer) {
  return db
    .selectFrom('link_tokens')
    .select(['id', 'account_id', 'email', 'expires_at', 'consumed_at'])
    .where('purpose', '=', purpose)
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function consumeLinkToken(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('link_tokens').set({ consumed_at: at }).where('id', '=', id).execute();
}

/** Retires every unused token of a purpose for an account (a resend makes older links void). */
export async function retireLinkTokens(db: Executor, accountId: string, purpose: string, at: Date): Promise<void> {
  await db
    .updateTable('link_tokens')
    .set({ consumed_at: at })
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .execute();
}

/** Every link token of an account (its activation links), when the account itself is removed. */
export async function deleteLinkTokensOfAccount(db: Executor, accountId: string): Promise<number> {
  const result = await db.deleteFrom('link_tokens').where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteCodesExpiredBefore(db: Executor, before: Date): Promise<number> {
  return Number((await db.deleteFrom('verification_codes').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows);
}

export async function deleteLinkTokensExpiredBefore(db: Executor, before: Date): Promise<number> {
  return Number((await db.deleteFrom('link_tokens').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows);
}

/** The live (unspent, unexpired) code for a purpose and target, if any. */
export async function findLiveCode(db: Executor, purpose: string, targetHash: Buffer, now: Date) {
  return db
    .selectFrom('verification_codes')
    .select(['id', 'expires_at'])
    .where('purpose', '=', purpose)
    .where('target_hash', '=', targetHash)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Spends every live code for a purpose and target. */
export async function consumeCodesFor(db: Executor, purpose: string, targetHash: Buffer, at: Date): Promise<void> {
  await db
    .updateTable('verification_codes')
    .set({ consumed_at: at })
    .where('purpose', '=', purpose)
    .where('target_hash', '=', targetHash)
    .where('consumed_at', 'is', null)
    .execute();
}

/**
 * insertCode for a resendable code: expired ones for the purpose and target are cleared, and of two
 * made at once only one is kept (the partial unique index of migration 0015). False when another
 * live code stands.
 */
export async function insertResendableCode(db: Executor, row: NewCode & { id: string }): Promise<boolean> {
  // Only expired ones are cleared: a live code is never replaced (a request racing this one may
  // have just made it), so the insert below then keeps the other's.
  await retireCodes(db, row, row.createdAt);
  const inserted = await db
    .insertInto('verification_codes')
    .values(codeValues(row))
    .onConflict((oc) => oc.columns(['purpose', 'target_hash']).where('consumed_at', 'is', null).where('purpose', '=', sql.lit(RESENDABLE_PURPOSE)).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The one purpose whose codes are resendable (找回密码 by SMS), named in migration 0015's index. */
export const RESENDABLE_PURPOSE = 'reset_password_sms';
