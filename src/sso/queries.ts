// SQL for what single sign-on keeps about people: each account's opaque subject, the consents it
// gave (one per platform, pointing at the provider's grant), and the platforms it signed in to.
import type { Executor } from '../db/client.ts';

/**
 * The account's subject, created when it has none yet. Nearly every call finds one, so it reads
 * first and writes only when missing; two first sign-ins at once both insert, one wins
 * (on conflict do nothing) and both read the winner's.
 */
export async function ensureSubject(db: Executor, accountId: string, fresh: string): Promise<string> {
  const existing = await subjectIfAny(db, accountId);
  if (existing) return existing;
  await db
    .insertInto('sso_subjects')
    .values({ account_id: accountId, sub: fresh })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
  return (await db.selectFrom('sso_subjects').select('sub').where('account_id', '=', accountId).executeTakeFirstOrThrow()).sub;
}

export async function subjectIfAny(db: Executor, accountId: string): Promise<string | undefined> {
  return (await db.selectFrom('sso_subjects').select('sub').where('account_id', '=', accountId).executeTakeFirst())?.sub;
}

export async function accountIdOfSubject(db: Executor, sub: string): Promise<string | undefined> {
  return (await db.selectFrom('sso_subjects').select('account_id').where('sub', '=', sub).executeTakeFirst())?.account_id;
}

/** What a platform may learn of the account behind a subject (its identity masked). */
export async function accountOfSubject(db: Executor, sub: string) {
  return db
    .selectFrom('sso_subjects')
    .innerJoin('accounts', 'accounts.id', 'sso_subjects.account_id')
    .leftJoin('identities', 'identities.account_id', 'accounts.id')
    .select([
      'accounts.id',
      'accounts.state',
      'accounts.phone',
      'accounts.email',
      'accounts.phone_verified_at',
      'accounts.email_verified_at',
      'accounts.realname_bound_at',
      'identities.name',
      'identities.id_type',
      'identities.id_masked',
    ])
    .where('sso_subjects.sub', '=', sub)
    .executeTakeFirst();
}

export async function consentOf(db: Executor, sub: string, clientId: string) {
  return db
    .selectFrom('sso_consents')
    .innerJoin('sso_subjects', 'sso_subjects.account_id', 'sso_consents.account_id')
    .select(['sso_consents.account_id', 'sso_consents.grant_id', 'sso_consents.scopes'])
    .where('sso_subjects.sub', '=', sub)
    .where('sso_consents.client_id', '=', clientId)
    .executeTakeFirst();
}

export async function setConsentGrant(db: Executor, accountId: string, clientId: string, grantId: string): Promise<void> {
  await db.updateTable('sso_consents').set({ grant_id: grantId }).where('account_id', '=', accountId).where('client_id', '=', clientId).execute();
}

export async function upsertConsent(db: Executor, row: { accountId: string; clientId: string; grantId: string; scopes: string; at: Date }): Promise<void> {
  const values = { account_id: row.accountId, client_id: row.clientId, grant_id: row.grantId, scopes: row.scopes, created_at: row.at };
  await db
    .insertInto('sso_consents')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['account_id', 'client_id']).doUpdateSet({ grant_id: values.grant_id, scopes: values.scopes, created_at: values.created_at }),
    )
    .execute();
}

/** 已授权的平台: the account's consents with the platforms' names, newest first. */
export async function consentsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('sso_consents')
    .innerJoin('oidc_clients', 'oidc_clients.client_id', 'sso_consents.client_id')
    .select(['sso_consents.client_id', 'oidc_clients.name', 'sso_consents.scopes', 'sso_consents.created_at'])
    .where('sso_consents.account_id', '=', accountId)
    .orderBy('sso_consents.created_at', 'desc')
    .execute();
}

/** The grants the account's consents point at (one platform's, or all). */
export async function consentGrantIds(db: Executor, accountId: string, clientId?: string): Promise<string[]> {
  let query = db.selectFrom('sso_consents').select('grant_id').where('account_id', '=', accountId);
  if (clientId) query = query.where('client_id', '=', clientId);
  return (await query.execute()).map((c) => c.grant_id);
}

export async function deleteConsents(db: Executor, accountId: string, clientId?: string): Promise<void> {
  let query = db.deleteFrom('sso_consents').where('account_id', '=', accountId);
  if (clientId) query = query.where('client_id', '=', clientId);
  await query.execute();
}

/**
 * Platforms that have signed the account in — a remembered consent, or a use recorded before
 * (consents end with a suspension or deregistration; the platform still needs to hear of a
 * restore) and not withdrawn by the person — with where they listen and the account's subject.
 */
export async function listeningPlatformsOf(db: Executor, accountId: string) {
  const consented = db.selectFrom('sso_consents').select('client_id').where('account_id', '=', accountId);
  const used = db
    .selectFrom('platform_usages')
    .select('client_id')
    .where('account_id', '=', accountId)
    .where('client_id', 'is not', null)
    .where('withdrawn_at', 'is', null);
  return db
    .selectFrom('oidc_clients')
    .innerJoin('sso_subjects', (join) => join.on('sso_subjects.account_id', '=', accountId))
    .select(['oidc_clients.client_id', 'oidc_clients.webhook_url', 'oidc_clients.backchannel_logout_uri', 'sso_subjects.sub'])
    .where((eb) => eb.or([eb('oidc_clients.client_id', 'in', consented), eb('oidc_clients.client_id', 'in', used)]))
    .orderBy('oidc_clients.client_id')
    .execute();
}
