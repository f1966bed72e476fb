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
