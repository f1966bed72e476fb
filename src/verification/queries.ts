// SQL for one-time codes and link tokens. Only keyed hashes are stored.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';

export async function insertCode(
  db: Executor,
  row: { id?: string; purpose: string; targetHash: Buffer; codeHash: Buffer; createdAt: Date; expiresAt: Date },
): Promise<void> {
  // A new code replaces the older ones for the same purpose and target.
  await db
    .updateTable('verification_codes')
    .set({ consumed_at: row.createdAt })
    .where('purpose', '=', row.purpose)
    .where('target_hash', '=', row.targetHash)
    .where('consumed_at', 'is', null)
    .execute();
  await db
    .insertInto('verification_codes')
    .values({
      ...(row.id ? { id: row.id } : {}),
      purpose: row.purpose,
      target_hash: row.targetHash,
      code_hash: row.codeHash,
      created_at: row.createdAt,
      expires_at: row.expiresAt,
      consumed_at: null,
    })
    .execute();
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
