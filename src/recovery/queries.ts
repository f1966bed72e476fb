// SQL for recovery: the accounts behind a name and ID number, and password-reset requests.
import type { Executor } from '../db/client.ts';
import { retireOpenPasswordResets } from '../accounts/queries.ts';

/** Live accounts holding an ID number (several while it is disputed), with their contacts. */
export async function liveAccountsWithIdIndex(db: Executor, index: Buffer) {
  return db
    .selectFrom('identities')
    .innerJoin('accounts', 'accounts.id', 'identities.account_id')
    .select([
      'accounts.id',
      'accounts.phone',
      'accounts.email',
      'accounts.phone_verified_at',
      'accounts.email_verified_at',
      'accounts.registered_via',
      'accounts.realname_bound_at',
      'identities.name',
    ])
    .where('identities.id_index', '=', index)
    .where('accounts.state', 'in', ['active', 'needs_verification'])
    .execute();
}

export async function insertReset(
  db: Executor,
  row: { accountId: string | null; flowHash: Buffer; linkHash: Buffer | null; delivery: 'sms' | 'email' | 'none'; now: Date; expiresAt: Date },
): Promise<string> {
  const inserted = await db
    .insertInto('password_resets')
    .values({
      account_id: row.accountId,
      flow_hash: row.flowHash,
      link_hash: row.linkHash,
      delivery: row.delivery,
      created_at: row.now,
      expires_at: row.expiresAt,
      code_verified_at: null,
      completed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

const resetColumns = ['id', 'account_id', 'delivery', 'expires_at', 'code_verified_at', 'identity_failures', 'completed_at'] as const;

export async function findResetByFlow(db: Executor, flowHash: Buffer) {
  return db.selectFrom('password_resets').select(resetColumns).where('flow_hash', '=', flowHash).executeTakeFirst();
}

/** The reset a secret unlocks: a link's secret, or the browser's once the SMS code it was sent was right. */
export async function findUnlockedResetForUpdate(db: Executor, secretHash: Buffer) {
  return db
    .selectFrom('password_resets')
    .select(resetColumns)
    .where((eb) =>
      eb.or([eb('link_hash', '=', secretHash), eb.and([eb('flow_hash', '=', secretHash), eb('code_verified_at', 'is not', null), eb('delivery', '=', 'sms')])]),
    )
    .forUpdate()
    .executeTakeFirst();
}

export async function markCodeVerified(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('password_resets').set({ code_verified_at: at }).where('id', '=', id).execute();
}

export async function countIdentityFailure(db: Executor, id: string): Promise<number> {
  const row = await db
    .updateTable('password_resets')
    .set((eb) => ({ identity_failures: eb('identity_failures', '+', 1) }))
    .where('id', '=', id)
    .returning('identity_failures')
    .executeTakeFirstOrThrow();
  return row.identity_failures;
}

/** Completes one reset and retires the account's other open ones: a reset link works once. */
export async function completeResets(db: Executor, accountId: string, id: string, at: Date): Promise<void> {
  await db.updateTable('password_resets').set({ completed_at: at }).where('id', '=', id).execute();
  await retireOpenPasswordResets(db, accountId, at);
}

export async function setRecoveredPassword(db: Executor, accountId: string, passwordHash: string, at: Date): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash, password_recovered_at: at, updated_at: at }).where('id', '=', accountId).execute();
}
