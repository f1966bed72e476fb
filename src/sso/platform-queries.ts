// SQL for the platform registry: platforms (oidc_clients), the keys that sign their ID tokens,
// which platforms each account has used, and what was sent to each.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db, Executor } from '../db/client.ts';
import type { OidcClientsTable } from '../db/schema.ts';

export async function insertClient(db: Executor, row: Insertable<OidcClientsTable>): Promise<void> {
  await db.insertInto('oidc_clients').values(row).execute();
}

/** A platform's registration without its logo (the provider reads this on every request). */
export async function findClientRow(db: Executor, clientId: string) {
  return db
    .selectFrom('oidc_clients')
    .select([
      'client_id',
      'name',
      'secret_key_id',
      'secret_cipher',
      'redirect_uris',
      'post_logout_redirect_uris',
      'backchannel_logout_uri',
      'webhook_url',
      'requires_realname',
      'scopes',
      'id_number_access',
      'created_at',
      'updated_at',
      'disabled_at',
      'protocol',
      'cas_services',
      'cas_proxy',
      sql<boolean>`logo is not null`.as('has_logo'),
    ])
    .where('client_id', '=', clientId)
    .executeTakeFirst();
}

export async function findClientLogo(db: Executor, clientId: string) {
  return db.selectFrom('oidc_clients').select(['logo', 'logo_media_type', 'disabled_at']).where('client_id', '=', clientId).executeTakeFirst();
}

export async function listClients(db: Executor) {
  return db
    .selectFrom('oidc_clients')
    .select(['client_id', 'name', 'requires_realname', 'scopes', 'id_number_access', 'redirect_uris', 'created_at', 'disabled_at', 'protocol', 'cas_services'])
    .orderBy('created_at')
    .orderBy('client_id')
    .execute();
}

/** Returns whether the platform exists (and so was changed). */
export async function updateClientRow(db: Executor, clientId: string, changes: Updateable<OidcClientsTable>): Promise<boolean> {
  const result = await db.updateTable('oidc_clients').set(changes).where('client_id', '=', clientId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Disables (at a time) or enables (null); false when it already was so, or there is no such platform. */
export async function setClientDisabledAt(db: Executor, clientId: string, at: Date | null, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('oidc_clients')
    .set({ disabled_at: at, updated_at: now })
    .where('client_id', '=', clientId)
    .where('disabled_at', at ? 'is' : 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The platform of a sign-in under way: the client named by the provider's Interaction stored under
 * its uid, with its registration, in one statement (the sign-in page asks on every view).
 */
export async function platformRowOfInteraction(db: Executor, uid: string) {
  return db
    .selectFrom('oidc_payloads')
    .innerJoin('oidc_clients', (join) => join.on(sql<boolean>`oidc_clients.client_id = oidc_payloads.payload -> 'params' ->> 'client_id'`))
    .select(['oidc_clients.client_id', 'oidc_clients.name', 'oidc_clients.disabled_at', sql<boolean>`oidc_clients.logo is not null`.as('has_logo')])
    .where('oidc_payloads.model', '=', 'Interaction')
    .where('oidc_payloads.id', '=', uid)
    .where((eb) => eb.or([eb('oidc_payloads.expires_at', 'is', null), eb('oidc_payloads.expires_at', '>', new Date())]))
    .executeTakeFirst();
}

export async function isRegisteredPostLogoutUri(db: Executor, uri: string): Promise<boolean> {
  const row = await db
    .selectFrom('oidc_clients')
    .select('client_id')
    .where(sql<boolean>`${uri} = any(post_logout_redirect_uris)`)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function clientSecretsUnderOtherKeys(db: Executor, activeKeyId: string) {
  return db.selectFrom('oidc_clients').select(['client_id', 'secret_key_id', 'secret_cipher']).where('secret_key_id', '<>', activeKeyId).execute();
}

export async function replaceClientSecretCipher(db: Executor, clientId: string, oldKeyId: string, keyId: string, cipher: Buffer): Promise<void> {
  await db
    .updateTable('oidc_clients')
    .set({ secret_key_id: keyId, secret_cipher: cipher })
    .where('client_id', '=', clientId)
    .where('secret_key_id', '=', oldKeyId)
    .execute();
}

export async function insertSigningKey(db: Executor, row: { kid: string; keyId: string; cipher: Buffer; at: Date }): Promise<void> {
  await db.insertInto('oidc_signing_keys').values({ kid: row.kid, key_id: row.keyId, jwk_cipher: row.cipher, created_at: row.at, retired_at: null }).execute();
}

/**
 * Runs `work` holding the signing keys' table lock (one transaction): nodes starting together take
 * turns, so the first makes the key and the others find it.
 */
export async function withSigningKeysLocked<T>(db: Db, work: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`lock table oidc_signing_keys in share row exclusive mode`.execute(tx);
    return work(tx);
  });
}

/** The keys still published, newest first. */
export async function liveSigningKeys(db: Executor) {
  return db.selectFrom('oidc_signing_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').execute();
}

export async function retireSigningKey(db: Executor, kid: string, at: Date): Promise<void> {
  await db.updateTable('oidc_signing_keys').set({ retired_at: at }).where('kid', '=', kid).execute();
}

export async function signingKeysUnderOtherKeys(db: Executor, activeKeyId: string) {
  return db.selectFrom('oidc_signing_keys').select(['kid', 'key_id', 'jwk_cipher']).where('key_id', '<>', activeKeyId).execute();
}

export async function replaceSigningKeyCipher(db: Executor, kid: string, oldKeyId: string, keyId: string, cipher: Buffer): Promise<void> {
  await db.updateTable('oidc_signing_keys').set({ key_id: keyId, jwk_cipher: cipher }).where('kid', '=', kid).where('key_id', '=', oldKeyId).execute();
}

export async function recordPlatformUse(db: Executor, accountId: string, platform: string, clientId: string, at: Date): Promise<void> {
  await db
    .insertInto('platform_usages')
    .values({ account_id: accountId, platform, client_id: clientId, first_used_at: at, last_used_at: at })
    .onConflict((oc) => oc.columns(['account_id', 'platform']).doUpdateSet({ last_used_at: at, client_id: clientId, withdrawn_at: null }))
    .execute();
}

/**
 * The same for the account behind an SSO subject, in one statement (the provider knows only the
 * subject at authorization.success): nothing is written when no account has that subject.
 */
export async function recordPlatformUseOfSubject(db: Executor, sub: string, platform: string, clientId: string, at: Date): Promise<void> {
  await db
    .insertInto('platform_usages')
    .columns(['account_id', 'platform', 'client_id', 'first_used_at', 'last_used_at'])
    .expression((eb) =>
      eb
        .selectFrom('sso_subjects')
        .select((s) => [
          'sso_subjects.account_id',
          s.val(platform).as('platform'),
          s.val(clientId).as('client_id'),
          s.val(at).as('first_used_at'),
          s.val(at).as('last_used_at'),
        ])
        .where('sso_subjects.sub', '=', sub),
    )
    .onConflict((oc) => oc.columns(['account_id', 'platform']).doUpdateSet({ last_used_at: at, client_id: clientId, withdrawn_at: null }))
    .execute();
}

/** A platform's deliveries, newest first (`tongxing client deliveries`). */
export async function deliveriesOf(db: Executor, clientId: string, limit = 50) {
  return db
    .selectFrom('outbox')
    .select(['id', 'channel', 'subject', 'state', 'attempts', 'last_error', 'created_at', 'sent_at', 'next_attempt_at'])
    .where('platform_id', '=', clientId)
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

/** The person withdrew consent at the platform: it stops hearing of the account. */
export async function markPlatformWithdrawn(db: Executor, accountId: string, clientId: string, at: Date): Promise<void> {
  await db.updateTable('platform_usages').set({ withdrawn_at: at }).where('account_id', '=', accountId).where('client_id', '=', clientId).execute();
}

/** The registered CAS platforms, oldest first (disabled ones are nobody). */
export async function casPlatforms(db: Executor) {
  return db
    .selectFrom('oidc_clients')
    .select([
      'client_id',
      'name',
      'cas_services',
      'cas_proxy',
      'requires_realname',
      'scopes',
      'id_number_access',
      sql<boolean>`logo is not null`.as('has_logo'),
    ])
    .where('protocol', '=', 'cas')
    .where('disabled_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

export type CasPlatformRow = Awaited<ReturnType<typeof casPlatforms>>[number];

/** A CAS platform's edit; returns whether there was one (an OIDC client is not changed here). */
export async function updateCasClientRow(db: Executor, clientId: string, changes: Updateable<OidcClientsTable>): Promise<boolean> {
  const result = await db.updateTable('oidc_clients').set(changes).where('client_id', '=', clientId).where('protocol', '=', 'cas').executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
