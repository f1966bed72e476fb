// SQL for passkeys and their ceremonies' challenges (both tables belong to this module); the
// account's state and contacts are read here too, for the checks and notices of a ceremony.
import type { Executor } from '../db/client.ts';
import type { AccountState, PasskeyPurpose } from '../db/schema.ts';

export interface PasskeyRow {
  id: string;
  account_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

const COLUMNS = [
  'id',
  'account_id',
  'credential_id',
  'public_key',
  'counter',
  'transports',
  'device_type',
  'backed_up',
  'name',
  'created_at',
  'last_used_at',
] as const;

export function listForAccount(db: Executor, accountId: string): Promise<PasskeyRow[]> {
  return db.selectFrom('passkeys').select(COLUMNS).where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
}

export function countForAccount(db: Executor, accountId: string): Promise<number> {
  return db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/** A credential with its account's state, locked for the counter update of the sign-in using it. */
export function findByCredentialForUpdate(db: Executor, credentialId: string): Promise<(PasskeyRow & { account_state: AccountState }) | undefined> {
  return db
    .selectFrom('passkeys')
    .innerJoin('accounts', 'accounts.id', 'passkeys.account_id')
    .select(COLUMNS.map((c) => `passkeys.${c}` as const))
    .select('accounts.state as account_state')
    .where('passkeys.credential_id', '=', credentialId)
    .forUpdate('passkeys')
    .executeTakeFirst();
}

export function credentialExists(db: Executor, credentialId: string): Promise<boolean> {
  return db
    .selectFrom('passkeys')
    .select('id')
    .where('credential_id', '=', credentialId)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

export async function insertPasskey(
  db: Executor,
  row: {
    accountId: string;
    credentialId: string;
    publicKey: Buffer;
    counter: number;
    transports: string[];
    deviceType: 'singleDevice' | 'multiDevice';
    backedUp: boolean;
    aaguid: string;
    name: string;
    now: Date;
  },
): Promise<string> {
  const inserted = await db
    .insertInto('passkeys')
    .values({
      account_id: row.accountId,
      credential_id: row.credentialId,
      public_key: row.publicKey,
      counter: row.counter,
      transports: row.transports,
      device_type: row.deviceType,
      backed_up: row.backedUp,
      aaguid: row.aaguid,
      name: row.name,
      created_at: row.now,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function markUsed(db: Executor, id: string, use: { counter: number; backedUp: boolean; at: Date }): Promise<void> {
  await db.updateTable('passkeys').set({ counter: use.counter, backed_up: use.backedUp, last_used_at: use.at }).where('id', '=', id).execute();
}

/** The account's passkey by id, or undefined when it has none by that id (another's is not found). */
export function findOwn(db: Executor, accountId: string, id: string): Promise<PasskeyRow | undefined> {
  return db.selectFrom('passkeys').select(COLUMNS).where('id', '=', id).where('account_id', '=', accountId).forUpdate().executeTakeFirst();
}

export async function rename(db: Executor, accountId: string, id: string, name: string): Promise<void> {
  await db.updateTable('passkeys').set({ name }).where('id', '=', id).where('account_id', '=', accountId).execute();
}

export async function remove(db: Executor, accountId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('passkeys').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---- challenges

export async function insertChallenge(
  db: Executor,
  row: { challengeHash: Buffer; browserHash: Buffer; purpose: PasskeyPurpose; accountId: string | null; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('passkey_challenges')
    .values({
      challenge_hash: row.challengeHash,
      browser_hash: row.browserHash,
      purpose: row.purpose,
      account_id: row.accountId,
      created_at: row.now,
      expires_at: row.expiresAt,
    })
    .execute();
}

/**
 * Takes the challenge out (single use): deleted whether or not it is still good, so a second
 * answer to it finds nothing. Answers its row when it was this browser's, for this purpose and
 * account, and unexpired.
 */
export async function takeChallenge(
  db: Executor,
  challengeHash: Buffer,
): Promise<{ browser_hash: Buffer; purpose: PasskeyPurpose; account_id: string | null; expires_at: Date } | undefined> {
  return db
    .deleteFrom('passkey_challenges')
    .where('challenge_hash', '=', challengeHash)
    .returning(['browser_hash', 'purpose', 'account_id', 'expires_at'])
    .executeTakeFirst();
}

export async function deleteExpiredChallenges(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('passkey_challenges').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- the account, as the ceremonies need it

export function accountForCeremony(db: Executor, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'state', 'phone', 'email', 'phone_verified_at', 'email_verified_at', 'registered_via'])
    .where('id', '=', accountId)
    .executeTakeFirst();
}

/** The same, with the account's row locked: what is decided under it (how many passkeys) holds until commit. */
export function accountForCeremonyForUpdate(db: Executor, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'state', 'phone', 'email', 'phone_verified_at', 'email_verified_at', 'registered_via'])
    .where('id', '=', accountId)
    .forUpdate()
    .executeTakeFirst();
}

/** A deregistered account's retention is over: its passkeys (keys, names, devices) and challenges go. */
export async function deletePasskeysOf(db: Executor, accountId: string): Promise<number> {
  const rows = await db.deleteFrom('passkeys').where('account_id', '=', accountId).returning('id').execute();
  await db.deleteFrom('passkey_challenges').where('account_id', '=', accountId).execute();
  return rows.length;
}
