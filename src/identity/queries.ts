// SQL for identities: the real-name information of each account (the number sealed, its blind
// index, its mask). Claims on the numbers have their own file (claim-queries.ts).
import type { Executor } from '../db/client.ts';

/** The number's blind index and what may be shown of the identity. */
export async function identityIndexOf(db: Executor, accountId: string) {
  return db.selectFrom('identities').select(['id_index', 'name', 'id_type', 'id_masked']).where('account_id', '=', accountId).executeTakeFirst();
}

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

/**
 * The real-name information of an account whose retention is over: the name, the sealed number
 * and its mask go (an empty number sealed in their place, so key rotation still opens every
 * row); the blind index is replaced by random bytes, so the number can be matched to
 * nobody any more (no claim names a deregistered account). The row stays, saying an identity was given.
 */
export async function eraseIdentity(db: Executor, accountId: string, blank: { keyId: string; cipher: Buffer; index: Buffer }): Promise<boolean> {
  const rows = await db
    .updateTable('identities')
    .set({ name: '', id_key_id: blank.keyId, id_cipher: blank.cipher, id_masked: '', id_index: blank.index, verifier_result: '' })
    .where('account_id', '=', accountId)
    .returning('account_id')
    .execute();
  return rows.length > 0;
}
