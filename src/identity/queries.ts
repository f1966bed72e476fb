// SQL for identities and ID-number claims.
import type { Executor } from '../db/client.ts';

export async function findIdentity(db: Executor, accountId: string) {
  return db.selectFrom('identities').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

export async function insertIdentity(
  db: Executor,
  row: {
    accountId: string;
    name: string;
    idType: string;
    keyId: string;
    cipher: Buffer;
    index: Buffer;
    masked: string;
    verifier: string;
    verifierResult: string;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('identities')
    .values({
      account_id: row.accountId,
      name: row.name,
      id_type: row.idType,
      id_key_id: row.keyId,
      id_cipher: row.cipher,
      id_index: row.index,
      id_masked: row.masked,
      verifier: row.verifier,
      verifier_result: row.verifierResult,
      checked_at: row.now,
      created_at: row.now,
    })
    .execute();
}

/** Creates the claim when the number is free; then returns it locked, whoever created it. */
export async function claimForUpdate(db: Executor, index: Buffer, accountId: string, now: Date) {
  await db
    .insertInto('id_claims')
    .values({ id_index: index, state: 'registered', owner_account_id: accountId, updated_at: now })
    .onConflict((oc) => oc.column('id_index').doNothing())
    .execute();
  return db.selectFrom('id_claims').selectAll().where('id_index', '=', index).forUpdate().executeTakeFirstOrThrow();
}

export async function markDisputed(db: Executor, index: Buffer, now: Date): Promise<void> {
  await db.updateTable('id_claims').set({ state: 'disputed', updated_at: now }).where('id_index', '=', index).execute();
}

export async function findClaim(db: Executor, index: Buffer) {
  return db.selectFrom('id_claims').selectAll().where('id_index', '=', index).executeTakeFirst();
}

/** An active account becomes a claimant; one still waiting for activation becomes one when activated. */
export async function markClaimant(db: Executor, accountId: string, now: Date): Promise<void> {
  await db.updateTable('accounts').set({ state: 'needs_verification', updated_at: now }).where('id', '=', accountId).where('state', '=', 'active').execute();
}

/** Binds the real name unless it is bound already (the first binding is the one kept). */
export async function markRealnameBound(db: Executor, accountId: string, via: string, now: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ realname_bound_at: now, realname_bound_via: via, updated_at: now })
    .where('id', '=', accountId)
    .where('realname_bound_at', 'is', null)
    .execute();
}

/** Every identity row holding a key id other than `activeKeyId`, a page at a time. */
export async function identitiesWithOtherKey(db: Executor, activeKeyId: string, limit: number) {
  return db.selectFrom('identities').select(['account_id', 'id_key_id', 'id_cipher']).where('id_key_id', '<>', activeKeyId).limit(limit).execute();
}

export async function replaceCipher(db: Executor, accountId: string, oldKeyId: string, keyId: string, cipher: Buffer): Promise<void> {
  await db
    .updateTable('identities')
    .set({ id_key_id: keyId, id_cipher: cipher })
    .where('account_id', '=', accountId)
    .where('id_key_id', '=', oldKeyId)
    .execute();
}

/** Sets a proved phone or address on the account, only where none is proved yet. */
export async function bindContact(db: Executor, accountId: string, channel: 'phone' | 'email', value: string, now: Date): Promise<boolean> {
  const query =
    channel === 'phone'
      ? db.updateTable('accounts').set({ phone: value, phone_verified_at: now, updated_at: now }).where('phone_verified_at', 'is', null)
      : db.updateTable('accounts').set({ email: value, email_verified_at: now, updated_at: now }).where('email_verified_at', 'is', null);
  const row = await query.where('id', '=', accountId).returning('id').executeTakeFirst();
  return row !== undefined;
}
