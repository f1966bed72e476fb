// What an export reads, one function per section, every one scoped to the one account. These are
// reads of other modules' tables (their owners write them; architecture.md allows reading with a
// queries file of one's own). Secrets never leave here: no password hash, no token or code hash,
// no key material, no photo bytes; ids of other accounts are left out too.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';

export function accountRow(db: Executor, accountId: string) {
  return db
    .selectFrom('accounts')
    .select([
      'id',
      'kind',
      'state',
      'registered_via',
      'created_at',
      'activated_at',
      'updated_at',
      'phone',
      'phone_verified_at',
      'email',
      'email_verified_at',
      'realname_bound_at',
      'realname_bound_via',
      'password_recovered_at',
      'username_recovered_at',
    ])
    .where('id', '=', accountId)
    .executeTakeFirst();
}

/** Phones and addresses the account gave up (a deregistration released them). */
export function releasedContactsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('released_contacts')
    .select(['channel', 'value', 'verified_at', 'released_at', 'restored_at'])
    .where('account_id', '=', accountId)
    .orderBy('released_at')
    .execute();
}

export function identityRow(db: Executor, accountId: string) {
  return db
    .selectFrom('identities')
    .select(['name', 'id_type', 'id_masked', 'verifier', 'verifier_result', 'checked_at', 'created_at'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export function sessionsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('sessions')
    .select(['created_at', 'last_seen_at', 'expires_at', 'revoked_at', 'authenticated_at', 'auth_methods', 'ip', 'user_agent'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

/** The account's audit events among `actions` (what its security log shows), oldest first. */
export function auditEventsOf(db: Executor, accountId: string, actions: readonly string[]) {
  return db
    .selectFrom('audit_events')
    .select(['created_at', 'action', 'actor_kind', 'ip', 'detail'])
    .where('account_id', '=', accountId)
    .where('action', 'in', [...actions])
    .orderBy('created_at')
    .orderBy('seq')
    .execute();
}

export function consentsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('sso_consents')
    .innerJoin('oidc_clients', 'oidc_clients.client_id', 'sso_consents.client_id')
    .select([
      'sso_consents.client_id',
      'oidc_clients.name',
      'oidc_clients.protocol',
      'oidc_clients.id_number_access',
      'sso_consents.scopes',
      'sso_consents.created_at',
    ])
    .where('sso_consents.account_id', '=', accountId)
    .orderBy('sso_consents.created_at')
    .execute();
}

export function platformUsesOf(db: Executor, accountId: string) {
  return db
    .selectFrom('platform_usages')
    .leftJoin('oidc_clients', 'oidc_clients.client_id', 'platform_usages.client_id')
    .select([
      'platform_usages.platform',
      'platform_usages.client_id',
      'oidc_clients.name',
      'oidc_clients.protocol',
      'first_used_at',
      'last_used_at',
      'withdrawn_at',
    ])
    .where('platform_usages.account_id', '=', accountId)
    .orderBy('first_used_at')
    .execute();
}

/** CAS service tickets validated for the account: which platform, which service, when. */
export function casValidationsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('cas_tickets')
    .select(['client_id', 'service', 'validated_at'])
    .where('account_id', '=', accountId)
    .where('kind', 'in', ['ST', 'PT'])
    .where('validated_at', 'is not', null)
    .orderBy('validated_at')
    .execute();
}

export async function subjectOf(db: Executor, accountId: string): Promise<string | undefined> {
  return (await db.selectFrom('sso_subjects').select('sub').where('account_id', '=', accountId).executeTakeFirst())?.sub;
}

export function inboxReceivedBy(db: Executor, accountId: string) {
  return db
    .selectFrom('inbox_items')
    .select(['kind', 'state', 'payload', 'created_at', 'read_at', 'expires_at', 'decided_at'])
    .where('recipient_account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

/** Requests the person sent: what and when, not what the recipient's copy says. */
export function inboxSentBy(db: Executor, accountId: string) {
  return db
    .selectFrom('inbox_items')
    .select(['kind', 'state', 'created_at', 'decided_at'])
    .where('sender_account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

export function photoReviewsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('photo_reviews')
    .select(['id', 'state', 'submitted_at', 'decided_at', 'reason'])
    .where('account_id', '=', accountId)
    .orderBy('submitted_at')
    .execute();
}

/** The photos' metadata (kind, type, size): never their bytes. */
export function photoFilesOf(db: Executor, reviewIds: readonly string[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('photo_files')
    .select(['review_id', 'kind', 'media_type', 'byte_size'])
    .where('review_id', 'in', [...reviewIds])
    .orderBy('review_id')
    .orderBy('kind')
    .execute();
}

export function livenessSessionsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('liveness_sessions')
    .select(['provider', 'state', 'created_at', 'completed_at', 'reason'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

export function recordChecksOf(db: Executor, accountId: string) {
  return db.selectFrom('record_checks').select(['matched', 'created_at']).where('account_id', '=', accountId).orderBy('created_at').execute();
}

/** Resolutions the account passed, and those that deregistered it (the other accounts not named). */
export function resolutionsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('resolutions')
    .select(['path', 'passed_at', 'reversed_at', sql<boolean>`claimant_account_id = ${accountId}`.as('as_claimant')])
    .where((eb) => eb.or([eb('claimant_account_id', '=', accountId), sql<boolean>`${accountId}::uuid = any(deregistered_account_ids)`]))
    .orderBy('passed_at')
    .execute();
}

/**
 * Objections the person wrote against another account's classmate case (as a holder of the
 * number): their own words and the case's course, not who the claimant is.
 */
export function objectionsBy(db: Executor, accountId: string) {
  return db
    .selectFrom('resolution_holds')
    .select(['path', 'state', 'objected_at', 'objection', 'decided_at'])
    .where('objected_by', '=', accountId)
    .orderBy('objected_at')
    .execute();
}

export function holdsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('resolution_holds')
    .select(['path', 'state', 'created_at', 'takes_effect_at', 'objected_at', 'decided_at', 'decision_note'])
    .where('claimant_account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

export function disputesOf(db: Executor, accountId: string) {
  return db
    .selectFrom('deregistration_disputes')
    .select(['state', 'what_happened', 'contact_channel', 'contact', 'created_at', 'decided_at', 'decision_note'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

export function supportRequestsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('support_requests')
    .select(['id', 'reference', 'category', 'source', 'state', 'created_at', 'updated_at', 'closed_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

/** The requests' messages: text and whether an image came with it, not the image. */
export function supportMessagesOf(db: Executor, requestIds: readonly string[]) {
  if (requestIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('support_messages')
    .select(['request_id', 'author', 'body', 'image_type', 'created_at'])
    .where('request_id', 'in', [...requestIds])
    .orderBy('created_at')
    .execute();
}

export function socialBindingsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('social_bindings')
    .select(['provider', 'subject', 'display_name', 'bound_at', 'released_at', 'release_reason'])
    .where('account_id', '=', accountId)
    .orderBy('bound_at')
    .execute();
}

export function passkeysOf(db: Executor, accountId: string) {
  return db
    .selectFrom('passkeys')
    .select(['name', 'device_type', 'backed_up', 'created_at', 'last_used_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}

export async function secondFactorOf(db: Executor, accountId: string) {
  const [totp, passkeyFactor, codes, removals] = await Promise.all([
    db.selectFrom('person_totps').select(['created_at', 'enabled_at']).where('account_id', '=', accountId).executeTakeFirst(),
    db.selectFrom('person_passkey_factors').select('enabled_at').where('account_id', '=', accountId).executeTakeFirst(),
    db
      .selectFrom('person_recovery_codes')
      .select([sql<number>`count(*)::int`.as('total'), sql<number>`(count(*) filter (where used_at is null))::int`.as('unused')])
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('second_factor_removals')
      .select(['requested_via', 'requested_at', 'effective_at', 'cancelled_at', 'completed_at'])
      .where('account_id', '=', accountId)
      .orderBy('requested_at')
      .execute(),
  ]);
  return { totp, passkeyFactor, codes, removals };
}

/** An enterprise account's details: the company and the contact person named (not the staff member who confirmed it). */
export function enterpriseOf(db: Executor, accountId: string) {
  return db
    .selectFrom('enterprises')
    .select(['name', 'credit_code', 'contact_name', 'created_at', 'confirmed_at'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** The person's own 注销帐号 requests: asked, due, cancelled or done. */
export function selfDeregistrationsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('self_deregistrations')
    .select(['state', 'requested_at', 'due_at', 'cancelled_at', 'completed_at'])
    .where('account_id', '=', accountId)
    .orderBy('requested_at')
    .execute();
}

/** Earlier copies asked for (and this one): when and how, never the file or the link's token. */
export function dataExportsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('data_exports')
    .select(['state', 'with_full_id', 'lang', 'requested_at', 'ready_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .orderBy('requested_at')
    .execute();
}

/** Platforms' display names by client id (to say which one received the full ID number). */
export async function platformNames(db: Executor, clientIds: readonly string[]): Promise<Map<string, string>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('oidc_clients')
    .select(['client_id', 'name'])
    .where('client_id', 'in', [...clientIds])
    .execute();
  return new Map(rows.map((r) => [r.client_id, r.name]));
}
