// Remembered consents: one per person and platform, pointing at the provider's grant. The account
// lists them (已授权的平台) and withdrawing one destroys the grant and everything issued under it.
import type Provider from 'oidc-provider';
import { sql } from 'kysely';
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { recordAudit } from '../audit/audit.ts';

export async function rememberedGrant(db: Db, sub: string, clientId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sso_consents')
    .innerJoin('sso_subjects', 'sso_subjects.account_id', 'sso_consents.account_id')
    .select('sso_consents.grant_id')
    .where('sso_subjects.sub', '=', sub)
    .where('sso_consents.client_id', '=', clientId)
    .executeTakeFirst();
  return row?.grant_id;
}

export async function rememberedConsent(db: Db, sub: string, clientId: string): Promise<{ accountId: string; scopes: string } | undefined> {
  const row = await db
    .selectFrom('sso_consents')
    .innerJoin('sso_subjects', 'sso_subjects.account_id', 'sso_consents.account_id')
    .select(['sso_consents.account_id', 'sso_consents.scopes'])
    .where('sso_subjects.sub', '=', sub)
    .where('sso_consents.client_id', '=', clientId)
    .executeTakeFirst();
  return row && { accountId: row.account_id, scopes: row.scopes };
}

export async function rememberConsentGrant(db: Db, accountId: string, clientId: string, grantId: string): Promise<void> {
  await db.updateTable('sso_consents').set({ grant_id: grantId }).where('account_id', '=', accountId).where('client_id', '=', clientId).execute();
}

export async function rememberConsent(db: Db, clock: Clock, row: { accountId: string; clientId: string; grantId: string; scopes: string }): Promise<void> {
  const values = { account_id: row.accountId, client_id: row.clientId, grant_id: row.grantId, scopes: row.scopes, created_at: clock.now() };
  await db
    .insertInto('sso_consents')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['account_id', 'client_id']).doUpdateSet({ grant_id: values.grant_id, scopes: values.scopes, created_at: values.created_at }),
    )
    .execute();
}

export async function consentsOf(db: Db, accountId: string) {
  return db
    .selectFrom('sso_consents')
    .innerJoin('oidc_clients', 'oidc_clients.client_id', 'sso_consents.client_id')
    .select(['sso_consents.client_id', 'oidc_clients.name', 'sso_consents.scopes', 'sso_consents.created_at'])
    .where('sso_consents.account_id', '=', accountId)
    .orderBy('sso_consents.created_at', 'desc')
    .execute();
}

/**
 * Withdraws a consent: every grant the platform holds for this person (there can be several, one
 * per browser that consented) and every code and token issued under them stop working at once.
 */
export async function withdrawConsent(deps: { db: Db; clock: Clock; provider: Provider }, accountId: string, clientId: string, ip: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('sso_consents')
    .select('grant_id')
    .where('account_id', '=', accountId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (!row) return false;
  await deps.db.transaction().execute(async (tx) => {
    const subject = await tx.selectFrom('sso_subjects').select('sub').where('account_id', '=', accountId).executeTakeFirst();
    const grants = subject ? await grantsOf(tx, subject.sub, clientId) : [];
    const grantIds = [...new Set([row.grant_id, ...grants])];
    await tx.deleteFrom('oidc_payloads').where('grant_id', 'in', grantIds).execute();
    await tx.deleteFrom('sso_consents').where('account_id', '=', accountId).where('client_id', '=', clientId).execute();
    await recordAudit(tx, {
      action: 'sso.consent_withdrawn',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip,
      detail: { clientId, grants: grantIds.length },
      at: deps.clock.now(),
    });
  });
  return true;
}

/** The provider's grants for a subject, for one platform or all. */
async function grantsOf(tx: Executor, sub: string, clientId?: string): Promise<string[]> {
  let query = tx
    .selectFrom('oidc_payloads')
    .select('id')
    .where('model', '=', 'Grant')
    .where(sql<boolean>`payload->>'accountId' = ${sub}`);
  if (clientId) query = query.where(sql<boolean>`payload->>'clientId' = ${clientId}`);
  return (await query.execute()).map((g) => g.id);
}

/**
 * Ends everything single sign-on holds for an account, in the caller's transaction (used when it is
 * deregistered): its provider sessions, every grant and the codes and tokens issued under them,
 * and its remembered consents. Platforms then get invalid_grant / invalid_token for it.
 */
export async function revokeAllSso(tx: Executor, accountId: string): Promise<number> {
  const subject = await tx.selectFrom('sso_subjects').select('sub').where('account_id', '=', accountId).executeTakeFirst();
  if (!subject) return 0;
  const consents = await tx.selectFrom('sso_consents').select('grant_id').where('account_id', '=', accountId).execute();
  let revoked = 0;
  const grantIds = [...new Set([...consents.map((c) => c.grant_id), ...(await grantsOf(tx, subject.sub))])];
  if (grantIds.length) revoked += Number((await tx.deleteFrom('oidc_payloads').where('grant_id', 'in', grantIds).executeTakeFirst()).numDeletedRows);
  revoked += Number(
    (
      await tx
        .deleteFrom('oidc_payloads')
        .where('model', '=', 'Session')
        .where(sql<boolean>`payload->>'accountId' = ${subject.sub}`)
        .executeTakeFirst()
    ).numDeletedRows,
  );
  await tx.deleteFrom('sso_consents').where('account_id', '=', accountId).execute();
  return revoked;
}
