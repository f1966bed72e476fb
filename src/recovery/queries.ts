// SQL for recovery: the accounts behind a name and ID number, and password-reset requests.
import type { Executor } from '../db/client.ts';

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
  row: {
    accountId: string | null;
    /** The account's credential_epoch now: a later password or contact change voids the reset. */
    credentialEpoch: number;
    flowHash: Buffer;
    linkHash: Buffer | null;
    delivery: 'sms' | 'email' | 'none';
    now: Date;
    expiresAt: Date;
    /** Whose wrong-code budget its guesses spend; none for a link support sends (no code). */
    guessSubject?: string;
  },
): Promise<string> {
  const inserted = await db
    .insertInto('password_resets')
    .values({
      account_id: row.accountId,
      credential_epoch: row.credentialEpoch,
      flow_hash: row.flowHash,
      link_hash: row.linkHash,
      delivery: row.delivery,
      created_at: row.now,
      expires_at: row.expiresAt,
      code_verified_at: null,
      completed_at: null,
      guess_subject: row.guessSubject ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

const resetColumns = [
  'id',
  'account_id',
  'credential_epoch',
  'delivery',
  'expires_at',
  'code_verified_at',
  'identity_failures',
  'completed_at',
  'guess_subject',
] as const;

/** The reset a browser holds, with its account's credential count now (null without an account). */
export async function findResetByFlow(db: Executor, flowHash: Buffer) {
  return db
    .selectFrom('password_resets')
    .leftJoin('accounts', 'accounts.id', 'password_resets.account_id')
    .select([...resetColumns.map((c) => `password_resets.${c}` as const), 'accounts.credential_epoch as account_epoch'])
    .where('password_resets.flow_hash', '=', flowHash)
    .executeTakeFirst();
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
  await retireOpenResets(db, accountId, at);
}

/** Ends the account's open resets (a new link from support replaces any earlier one). */
export async function retireOpenResets(db: Executor, accountId: string, at: Date, exceptId?: string): Promise<void> {
  let query = db
    .updateTable('password_resets')
    .set({ expires_at: at })
    .where('account_id', '=', accountId)
    .where('completed_at', 'is', null)
    .where('expires_at', '>', at);
  if (exceptId) query = query.where('id', '<>', exceptId);
  await query.execute();
}

/** Every reset request that named the account, when the account itself is removed. */
export async function deleteResetsOfAccount(db: Executor, accountId: string): Promise<void> {
  await db.deleteFrom('password_resets').where('account_id', '=', accountId).execute();
}

export async function deleteResetsExpiredBefore(db: Executor, before: Date): Promise<number> {
  return Number((await db.deleteFrom('password_resets').where('expires_at', '<', before).executeTakeFirst()).numDeletedRows);
}

/** Whether the account signed in from this IP since a time (its audit trail says so). */
export async function signedInFrom(db: Executor, accountId: string, ip: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('audit_events')
    .select('id')
    .where('account_id', '=', accountId)
    .where('action', '=', 'session.started')
    .where('ip', '=', ip)
    .where('created_at', '>', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
