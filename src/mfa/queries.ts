// SQL of the second factor: the person's authenticator, recovery codes, pending sign-ins and
// removals asked through recovery. Conditional updates answer whether this request won, so two
// requests at once can never both spend one code, one step or one pending sign-in.
import type { Executor } from '../db/client.ts';
import type { AuthMethod } from '../db/schema.ts';
import type { Sealed } from '../lib/field-crypto.ts';

// ---- the authenticator

export async function totpOf(db: Executor, accountId: string) {
  return db.selectFrom('person_totps').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** A new secret being set up; an enabled authenticator is never replaced (false then). */
export async function putPendingTotp(db: Executor, accountId: string, sealed: Sealed, at: Date): Promise<boolean> {
  const written = await db
    .insertInto('person_totps')
    .values({ account_id: accountId, key_id: sealed.keyId, cipher: sealed.data, last_step: null, created_at: at, enabled_at: null })
    .onConflict((oc) =>
      oc
        .column('account_id')
        .doUpdateSet({ key_id: sealed.keyId, cipher: sealed.data, last_step: null, created_at: at })
        .where('person_totps.enabled_at', 'is', null),
    )
    .executeTakeFirst();
  return Number(written.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Turns the set-up secret on, with the step of the code that confirmed it (never accepted again). */
export async function enableTotp(db: Executor, accountId: string, step: number, at: Date): Promise<boolean> {
  const updated = await db
    .updateTable('person_totps')
    .set({ enabled_at: at, last_step: step })
    .where('account_id', '=', accountId)
    .where('enabled_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Records the step a code belonged to: true only for the request that moved it forward. */
export async function advanceTotpStep(db: Executor, accountId: string, step: number): Promise<boolean> {
  const updated = await db
    .updateTable('person_totps')
    .set({ last_step: step })
    .where('account_id', '=', accountId)
    .where('enabled_at', 'is not', null)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** The authenticator, the passkey way and every recovery code go; true when there was a second factor. */
export async function deleteSecondFactor(db: Executor, accountId: string): Promise<boolean> {
  await db.deleteFrom('person_recovery_codes').where('account_id', '=', accountId).execute();
  const passkeyWay = await db.deleteFrom('person_passkey_factors').where('account_id', '=', accountId).executeTakeFirst();
  const deleted = await db.deleteFrom('person_totps').where('account_id', '=', accountId).executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1 || Number(passkeyWay.numDeletedRows) === 1;
}

// ---- the second factor turned on with passkeys alone

/** Whether the account has a second factor: its authenticator on, or the passkey way. */
export async function secondFactorOn(db: Executor, accountId: string): Promise<boolean> {
  if ((await totpOf(db, accountId))?.enabled_at) return true;
  return (await passkeyFactorOf(db, accountId)) !== undefined;
}

/**
 * What a sign-in needs to know of the second factor, in one statement: whether it is on (the
 * authenticator or the passkey way) and when an open removal through recovery falls due.
 */
export async function secondFactorFacts(db: Executor, accountId: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('second_factor_removals')
        .select('effective_at')
        .where('account_id', '=', accountId)
        .where('cancelled_at', 'is', null)
        .where('completed_at', 'is', null)
        .limit(1)
        .as('removal_at'),
      eb.selectFrom('person_totps').select('enabled_at').where('account_id', '=', accountId).as('totp_enabled_at'),
      eb.exists(eb.selectFrom('person_passkey_factors').select('account_id').where('account_id', '=', accountId)).as('passkey_way'),
    ])
    .executeTakeFirstOrThrow();
  return { removalAt: row.removal_at ?? undefined, on: Boolean(row.totp_enabled_at) || Boolean(row.passkey_way) };
}

export async function passkeyFactorOf(db: Executor, accountId: string) {
  return db.selectFrom('person_passkey_factors').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** Turns it on; false when it already was (another tab). */
export async function enablePasskeyFactor(db: Executor, accountId: string, at: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('person_passkey_factors')
    .values({ account_id: accountId, enabled_at: at })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function totpsUnderOtherKeys(db: Executor, activeKeyId: string) {
  return db.selectFrom('person_totps').select(['account_id', 'key_id', 'cipher']).where('key_id', '<>', activeKeyId).execute();
}

export async function replaceTotpCipher(db: Executor, accountId: string, oldKeyId: string, keyId: string, cipher: Buffer): Promise<void> {
  await db.updateTable('person_totps').set({ key_id: keyId, cipher }).where('account_id', '=', accountId).where('key_id', '=', oldKeyId).execute();
}

// ---- recovery codes

export async function replaceRecoveryCodes(db: Executor, accountId: string, hashes: Buffer[], at: Date): Promise<void> {
  await db.deleteFrom('person_recovery_codes').where('account_id', '=', accountId).execute();
  if (hashes.length) {
    await db
      .insertInto('person_recovery_codes')
      .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, created_at: at, used_at: null })))
      .execute();
  }
}

/** Spends a recovery code: true only for the one request that marks it used. */
export async function useRecoveryCode(db: Executor, accountId: string, hash: Buffer, at: Date): Promise<boolean> {
  const updated = await db
    .updateTable('person_recovery_codes')
    .set({ used_at: at })
    .where('account_id', '=', accountId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function unusedRecoveryCodes(db: Executor, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('person_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- pending sign-ins (the first factor passed)

export async function insertPendingSignIn(
  db: Executor,
  row: { tokenHash: Buffer; accountId: string; firstMethod: AuthMethod; now: Date; expiresAt: Date },
): Promise<string> {
  const inserted = await db
    .insertInto('pending_sign_ins')
    .values({ token_hash: row.tokenHash, account_id: row.accountId, first_method: row.firstMethod, created_at: row.now, expires_at: row.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The pending sign-in behind a token while it is unused and unexpired. */
export async function livePendingSignIn(db: Executor, tokenHash: Buffer, now: Date) {
  return db
    .selectFrom('pending_sign_ins')
    .select(['id', 'account_id', 'first_method', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Uses the pending sign-in once: true only for the request that did. */
export async function usePendingSignIn(db: Executor, id: string, now: Date): Promise<boolean> {
  const updated = await db
    .updateTable('pending_sign_ins')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function deletePendingSignInsEndedBefore(db: Executor, before: Date): Promise<number> {
  const deleted = await db.deleteFrom('pending_sign_ins').where('expires_at', '<', before).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

// ---- removals asked through recovery

export async function openRemoval(db: Executor, accountId: string) {
  return db
    .selectFrom('second_factor_removals')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('cancelled_at', 'is', null)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
}

/** A new removal, unless one is already open (false then: the earlier one keeps its date). */
export async function insertRemoval(db: Executor, row: { accountId: string; via: 'sms' | 'email'; now: Date; effectiveAt: Date }): Promise<boolean> {
  const inserted = await db
    .insertInto('second_factor_removals')
    .values({ account_id: row.accountId, requested_via: row.via, requested_at: row.now, effective_at: row.effectiveAt })
    .onConflict((oc) => oc.column('account_id').where('cancelled_at', 'is', null).where('completed_at', 'is', null).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Ends the open removal (cancelled or done); true for the request that ended it. */
export async function closeRemoval(db: Executor, id: string, how: 'cancelled_at' | 'completed_at', at: Date): Promise<boolean> {
  const updated = await db
    .updateTable('second_factor_removals')
    .set({ [how]: at })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Removals whose waiting period is over, oldest first (the sweep finishes them). */
export async function dueRemovals(db: Executor, now: Date, limit = 100) {
  return db
    .selectFrom('second_factor_removals')
    .select(['id', 'account_id'])
    .where('cancelled_at', 'is', null)
    .where('completed_at', 'is', null)
    .where('effective_at', '<=', now)
    .orderBy('effective_at')
    .limit(limit)
    .execute();
}

// ---- whom to tell

/** The account's proved phone and address (read from accounts, which owns them). */
export async function provedContactsOf(db: Executor, accountId: string): Promise<{ phone: string | null; email: string | null }> {
  const row = await db
    .selectFrom('accounts')
    .select(['phone', 'phone_verified_at', 'email', 'email_verified_at'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  return { phone: row?.phone && row.phone_verified_at ? row.phone : null, email: row?.email && row.email_verified_at ? row.email : null };
}

/** The name an authenticator app shows for this account: its phone or email as registered. */
export async function labelOf(db: Executor, accountId: string): Promise<string> {
  const row = await db.selectFrom('accounts').select(['phone', 'email']).where('id', '=', accountId).executeTakeFirst();
  return row?.phone ?? row?.email ?? accountId;
}

/** Locks the account's row: one second-factor change at a time per account (lock order: accounts, then ours). */
export async function lockAccount(db: Executor, accountId: string): Promise<void> {
  await db.selectFrom('accounts').select('id').where('id', '=', accountId).forUpdate().executeTakeFirst();
}

// ---- erasure

/**
 * A deregistered account's retention is over: its authenticator secret, recovery codes, the
 * passkey second factor and sign-ins halfway go. Removals asked through recovery stay (dates only).
 * Answers whether it had a second factor.
 */
export async function deleteFactorsOf(db: Executor, accountId: string): Promise<boolean> {
  const totp = await db.deleteFrom('person_totps').where('account_id', '=', accountId).returning('account_id').execute();
  const passkey = await db.deleteFrom('person_passkey_factors').where('account_id', '=', accountId).returning('account_id').execute();
  await db.deleteFrom('person_recovery_codes').where('account_id', '=', accountId).execute();
  await db.deleteFrom('pending_sign_ins').where('account_id', '=', accountId).execute();
  return totp.length + passkey.length > 0;
}
