// SQL for support's account look-up: accounts by phone, email (including contacts a deregistered
// account released), ID-number blind index or id; the card's facts; the timeline.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import type { AccountState } from '../db/schema.ts';

/** What a result row shows (the card shows these and more). */
const LISTED = [
  'accounts.id',
  'accounts.state',
  'accounts.kind',
  'accounts.registered_via',
  'accounts.phone',
  'accounts.email',
  'accounts.phone_verified_at',
  'accounts.email_verified_at',
  'accounts.created_at',
  'identities.name',
  'identities.id_masked',
  'enterprises.name as enterprise_name',
] as const;

function accountList(db: Executor) {
  return db
    .selectFrom('accounts')
    .leftJoin('identities', 'identities.account_id', 'accounts.id')
    .leftJoin('enterprises', 'enterprises.account_id', 'accounts.id')
    .select(LISTED)
    .orderBy('accounts.created_at');
}

export type ListedAccount = Awaited<ReturnType<typeof accountsByContact>>[number];

export async function accountsByContact(db: Executor, channel: 'phone' | 'email', value: string) {
  const released = db.selectFrom('released_contacts').select('account_id').where('channel', '=', channel).where('value', '=', value);
  return accountList(db)
    .where((eb) => eb.or([eb(`accounts.${channel}`, '=', value), eb('accounts.id', 'in', released)]))
    .limit(50)
    .execute();
}

export async function accountsByIdIndexes(db: Executor, indexes: Buffer[]) {
  if (indexes.length === 0) return [];
  return accountList(db).where('identities.id_index', 'in', indexes).limit(50).execute();
}

export async function accountsById(db: Executor, id: string) {
  return accountList(db).where('accounts.id', '=', id).execute();
}

/** The console's account list: what it may be narrowed to (each optional). */
export interface AccountFilters {
  state?: AccountState | undefined;
  /** bound: real name bound; entered: real-name information given, not (yet) bound; none: none given. */
  realname?: 'bound' | 'entered' | 'none' | undefined;
  registeredFrom?: Date | undefined;
  /** Exclusive. */
  registeredBefore?: Date | undefined;
  /** Accounts that consented to, or signed in to, this platform. */
  clientId?: string | undefined;
}

/** Where a page ends: the last row's registration time (as the database wrote it, to the microsecond) and id. */
export interface AccountCursor {
  createdAt: string;
  id: string;
}

/**
 * One page of accounts, newest first, ordered by (created_at, id) and continued after `cursor`
 * (keyset: the index accounts_created_keyset serves any page as fast as the first, where an
 * offset would read and skip every row before it). One row more than `limit` says a next page exists.
 */
export async function listAccounts(db: Executor, filters: AccountFilters, cursor: AccountCursor | undefined, limit: number) {
  let query = db
    .selectFrom('accounts')
    .leftJoin('identities', 'identities.account_id', 'accounts.id')
    .leftJoin('enterprises', 'enterprises.account_id', 'accounts.id')
    .select([...LISTED, 'accounts.realname_bound_at', sql<string>`accounts.created_at::text`.as('created_key')])
    .orderBy('accounts.created_at', 'desc')
    .orderBy('accounts.id', 'desc')
    .limit(limit + 1);
  if (filters.state) query = query.where('accounts.state', '=', filters.state);
  if (filters.realname === 'bound') query = query.where('accounts.realname_bound_at', 'is not', null);
  if (filters.realname === 'entered') query = query.where('accounts.realname_bound_at', 'is', null).where('identities.account_id', 'is not', null);
  if (filters.realname === 'none') query = query.where('identities.account_id', 'is', null);
  if (filters.registeredFrom) query = query.where('accounts.created_at', '>=', filters.registeredFrom);
  if (filters.registeredBefore) query = query.where('accounts.created_at', '<', filters.registeredBefore);
  if (filters.clientId) {
    const clientId = filters.clientId;
    query = query.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('sso_consents')
            .select('sso_consents.account_id')
            .whereRef('sso_consents.account_id', '=', 'accounts.id')
            .where('sso_consents.client_id', '=', clientId),
        ),
        eb.exists(
          eb
            .selectFrom('platform_usages')
            .select('platform_usages.account_id')
            .whereRef('platform_usages.account_id', '=', 'accounts.id')
            .where('platform_usages.client_id', '=', clientId),
        ),
      ]),
    );
  }
  if (cursor) query = query.where(sql<boolean>`(accounts.created_at, accounts.id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
  return query.execute();
}

export async function cardFacts(db: Executor, accountId: string) {
  return db
    .selectFrom('accounts')
    .leftJoin('identities', 'identities.account_id', 'accounts.id')
    .leftJoin('id_claims', 'id_claims.id_index', 'identities.id_index')
    .leftJoin('enterprises', 'enterprises.account_id', 'accounts.id')
    .select([
      ...LISTED,
      'accounts.activated_at',
      'accounts.realname_bound_at',
      'accounts.realname_bound_via',
      'accounts.state_before_suspension',
      'identities.id_type',
      'id_claims.state as claim_state',
      'id_claims.owner_account_id',
      'enterprises.credit_code',
      'enterprises.contact_name',
    ])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
}

export async function liveSessionCount(db: Executor, accountId: string, now: Date): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function timelineOf(db: Executor, accountId: string, limit = 100) {
  return (
    db
      .selectFrom('audit_events')
      .select(['created_at', 'action', 'actor_kind', 'actor_id', 'ip', 'detail'])
      .where('account_id', '=', accountId)
      // Staff opening the card is in the audit trail, but would crowd what happened to the account.
      .where('action', '<>', 'staff.account_viewed')
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute()
  );
}

/** Whether the account is a person's and holds real-name details (what a reset to another address needs). */
export async function kindAndIdentity(db: Executor, accountId: string) {
  return db
    .selectFrom('accounts')
    .leftJoin('identities', 'identities.account_id', 'accounts.id')
    .select(['accounts.kind', 'identities.account_id as identity'])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
}

export async function contactsOf(db: Executor, accountId: string) {
  return db.selectFrom('accounts').select(['phone', 'email']).where('id', '=', accountId).executeTakeFirst();
}

/** The account's photo reviews, newest first, with how many photos each had and whether they were erased (retention). */
export async function photoEvidenceOf(db: Executor, accountId: string, limit = 10) {
  return db
    .selectFrom('photo_reviews')
    .leftJoin('photo_files', 'photo_files.review_id', 'photo_reviews.id')
    .select((eb) => [
      'photo_reviews.id',
      'photo_reviews.state',
      'photo_reviews.submitted_at',
      'photo_reviews.decided_at',
      eb.fn.count<string>('photo_files.kind').as('photos'),
      eb.fn.max('photo_files.erased_at').as('erased_at'),
    ])
    .where('photo_reviews.account_id', '=', accountId)
    .groupBy('photo_reviews.id')
    .orderBy('photo_reviews.submitted_at', 'desc')
    .limit(limit)
    .execute();
}

/** The account's finished liveness checks (途径1), newest first, and whether their result was erased. */
export async function livenessEvidenceOf(db: Executor, accountId: string, limit = 10) {
  return db
    .selectFrom('liveness_sessions')
    .select(['id', 'state', 'completed_at', 'erased_at'])
    .where('account_id', '=', accountId)
    .where('completed_at', 'is not', null)
    .orderBy('completed_at', 'desc')
    .limit(limit)
    .execute();
}
