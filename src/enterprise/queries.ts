// SQL for enterprise accounts and their look-up requests.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import { claimableBy } from '../db/work-claims.ts';
import type { EnterpriseLetterPagesTable, EnterpriseRequestState, EnterpriseRequestsTable } from '../db/schema.ts';
import type { Insertable } from 'kysely';

/**
 * Sign-ups for this credit code never activated in time (created before `createdBefore`, with no
 * activation link still valid at `now`), locked: an activation racing the void waits or wins.
 */
export async function lapsedSignUps(db: Executor, creditCode: string, createdBefore: Date, now: Date) {
  return (
    db
      .selectFrom('enterprises')
      .innerJoin('accounts', 'accounts.id', 'enterprises.account_id')
      .select(['accounts.id', 'accounts.email'])
      .where('enterprises.credit_code', '=', creditCode)
      .where('accounts.state', '=', 'pending_activation')
      .where('accounts.created_at', '<', createdBefore)
      // A link sent again and still valid keeps the sign-up alive.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('link_tokens')
              .select('link_tokens.id')
              .whereRef('link_tokens.account_id', '=', 'accounts.id')
              .where('link_tokens.consumed_at', 'is', null)
              .where('link_tokens.expires_at', '>', now),
          ),
        ),
      )
      .forUpdate()
      .execute()
  );
}

export async function insertEnterprise(
  db: Executor,
  row: { accountId: string; name: string; creditCode: string; contactName: string; now: Date },
): Promise<void> {
  await db
    .insertInto('enterprises')
    .values({ account_id: row.accountId, name: row.name, credit_code: row.creditCode, contact_name: row.contactName, created_at: row.now })
    .execute();
}

export async function deleteEnterprise(db: Executor, accountId: string): Promise<void> {
  await db.deleteFrom('enterprises').where('account_id', '=', accountId).execute();
}

export async function insertRequest(db: Executor, row: Insertable<EnterpriseRequestsTable>): Promise<void> {
  await db.insertInto('enterprise_requests').values(row).execute();
}

export async function lettersUnderOtherKeys(db: Executor, activeKeyId: string) {
  return db.selectFrom('enterprise_requests').select(['id', 'letter_key_id', 'letter_cipher']).where('letter_key_id', '<>', activeKeyId).execute();
}

export async function replaceLetterCipher(db: Executor, id: string, oldKeyId: string, keyId: string, cipher: Buffer): Promise<void> {
  await db
    .updateTable('enterprise_requests')
    .set({ letter_key_id: keyId, letter_cipher: cipher })
    .where('id', '=', id)
    .where('letter_key_id', '=', oldKeyId)
    .execute();
}

export async function insertLetterPages(db: Executor, rows: Insertable<EnterpriseLetterPagesTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('enterprise_letter_pages').values(rows).execute();
}

export async function letterPageCount(db: Executor, requestId: string): Promise<number> {
  const row = await db
    .selectFrom('enterprise_letter_pages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findLetterPage(db: Executor, requestId: string, pageNumber: number) {
  return db
    .selectFrom('enterprise_letter_pages')
    .select(['key_id', 'cipher'])
    .where('request_id', '=', requestId)
    .where('page_number', '=', pageNumber)
    .executeTakeFirst();
}

export async function letterPagesUnderOtherKeys(db: Executor, activeKeyId: string) {
  return db.selectFrom('enterprise_letter_pages').select(['request_id', 'page_number', 'key_id', 'cipher']).where('key_id', '<>', activeKeyId).execute();
}

export async function replaceLetterPageCipher(
  db: Executor,
  requestId: string,
  pageNumber: number,
  oldKeyId: string,
  keyId: string,
  cipher: Buffer,
): Promise<void> {
  await db
    .updateTable('enterprise_letter_pages')
    .set({ key_id: keyId, cipher })
    .where('request_id', '=', requestId)
    .where('page_number', '=', pageNumber)
    .where('key_id', '=', oldKeyId)
    .execute();
}

const requestSummary = ['id', 'enterprise_name', 'credit_code', 'contact_name', 'wants', 'submitted_at', 'claimed_by', 'claimed_at'] as const;

export async function pendingRequests(db: Executor, limit: number) {
  return db.selectFrom('enterprise_requests').select(requestSummary).where('state', '=', 'pending').orderBy('submitted_at').limit(limit).execute();
}

export async function handledRequests(db: Executor, limit: number, creditCode?: string) {
  let query = db
    .selectFrom('enterprise_requests')
    .select(['id', 'enterprise_name', 'credit_code', 'wants', 'state', 'submitted_at', 'handled_by', 'handled_at', 'outcome'])
    .where('state', '<>', 'pending')
    .orderBy('handled_at', 'desc')
    .limit(limit);
  if (creditCode) query = query.where('credit_code', '=', creditCode);
  return query.execute();
}

/** Gives the request to `handler` unless another holds a claim newer than `claimedSince`. */
export async function claimRequest(db: Executor, id: string, handler: string, now: Date, claimedSince: Date): Promise<boolean> {
  const claimed = await db
    .updateTable('enterprise_requests')
    .set({ claimed_by: handler, claimed_at: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where(claimableBy(handler, claimedSince))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

export async function findRequest(db: Executor, id: string, lock: boolean) {
  let query = db.selectFrom('enterprise_requests').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function closeRequest(
  db: Executor,
  id: string,
  outcome: { state: Exclude<EnterpriseRequestState, 'pending'>; by: string; at: Date; accountId?: string; outcome: string },
): Promise<void> {
  await db
    .updateTable('enterprise_requests')
    .set({
      state: outcome.state,
      handled_by: outcome.by,
      handled_at: outcome.at,
      outcome: outcome.outcome,
      ...(outcome.accountId ? { account_id: outcome.accountId } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The accounts registered with a credit code (a lapsed sign-up stays listed, deregistered). */
export async function accountsOfCreditCode(db: Executor, creditCode: string) {
  return db
    .selectFrom('enterprises')
    .innerJoin('accounts', 'accounts.id', 'enterprises.account_id')
    .select([
      'accounts.id',
      'accounts.state',
      'accounts.registered_via',
      'accounts.phone',
      'accounts.email',
      'accounts.phone_verified_at',
      'accounts.email_verified_at',
      'accounts.created_at',
      'enterprises.name as enterprise_name',
      'enterprises.confirmed_at',
    ])
    .where('enterprises.credit_code', '=', creditCode)
    .orderBy('accounts.created_at')
    .execute();
}

/** The account confirmed as the enterprise behind a credit code, if any. */
export async function confirmedHolder(db: Executor, creditCode: string) {
  return db.selectFrom('enterprises').select('account_id').where('credit_code', '=', creditCode).where('confirmed_at', 'is not', null).executeTakeFirst();
}

/**
 * Serialises everything about one credit code (a registration's "is it confirmed?" and a
 * confirmation) for the rest of the transaction: a row lock cannot, since the registration's row
 * does not exist yet when it asks.
 */
export async function lockCreditCode(db: Executor, creditCode: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`enterprise-credit-code:${creditCode}`}))`.execute(db);
}

/** Every enterprise row naming a credit code, locked in account order (confirmation's first lock). */
export async function lockEnterprisesOfCode(db: Executor, creditCode: string) {
  return db
    .selectFrom('enterprises')
    .select(['account_id', 'name', 'confirmed_at'])
    .where('credit_code', '=', creditCode)
    .orderBy('account_id')
    .forUpdate()
    .execute();
}

export async function markConfirmed(db: Executor, accountId: string, by: string, at: Date): Promise<void> {
  await db.updateTable('enterprises').set({ confirmed_at: at, confirmed_by: by }).where('account_id', '=', accountId).execute();
}

/**
 * A deregistered account's retention is over: the contact person named for the enterprise, and
 * the contact details and address of the look-up requests settled for the account, go. The
 * enterprise's name and credit code (a company's, not a person's) and the stamped letter (the
 * record of what support acted on) stay. Answers how many requests changed.
 */
export async function forgetContactsOf(db: Executor, accountId: string): Promise<number> {
  await db.updateTable('enterprises').set({ contact_name: '' }).where('account_id', '=', accountId).execute();
  const rows = await db
    .updateTable('enterprise_requests')
    .set({ contact_name: '', contact_phone: null, contact_email: null, ip: null })
    .where('account_id', '=', accountId)
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Look-up requests no account was matched to (rejected, or answered without one), handled before
 * `before`: deleted with their letter pages (cascade). What they hold describes the contact person
 * (name, phone, email, address, the letter they signed) and no account keeps a record of them;
 * the handling itself stays in the audit trail. Answers the ids removed.
 */
export async function deleteUnmatchedHandledBefore(db: Executor, before: Date, limit: number): Promise<string[]> {
  const due = db
    .selectFrom('enterprise_requests')
    .select('id')
    .where('account_id', 'is', null)
    .where('state', '<>', 'pending')
    .where('handled_at', '<', before)
    .limit(limit);
  const rows = await db.deleteFrom('enterprise_requests').where('id', 'in', due).returning('id').execute();
  return rows.map((r) => r.id);
}
