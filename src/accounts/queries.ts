// SQL for accounts and the record of email addresses used on the site.
import type { Executor } from '../db/client.ts';
import type { AccountState } from '../db/schema.ts';

const accountColumns = [
  'id',
  'phone',
  'email',
  'phone_verified_at',
  'email_verified_at',
  'password_hash',
  'state',
  'registered_via',
  'created_at',
  'activated_at',
  'realname_bound_at',
  'password_recovered_at',
] as const;

export async function findByPhone(db: Executor, phone: string) {
  return db.selectFrom('accounts').select(accountColumns).where('phone', '=', phone).executeTakeFirst();
}

export async function findByEmail(db: Executor, email: string) {
  return db.selectFrom('accounts').select(accountColumns).where('email', '=', email).executeTakeFirst();
}

export async function findById(db: Executor, id: string) {
  return db.selectFrom('accounts').select(accountColumns).where('id', '=', id).executeTakeFirst();
}

export type AccountRow = NonNullable<Awaited<ReturnType<typeof findById>>>;

export async function emailHasBeenUsed(db: Executor, email: string): Promise<boolean> {
  const row = await db.selectFrom('email_usages').select('email').where('email', '=', email).executeTakeFirst();
  return row !== undefined;
}

export async function insertAccount(
  db: Executor,
  row: {
    phone: string | null;
    email: string | null;
    phoneVerifiedAt: Date | null;
    passwordHash: string;
    state: AccountState;
    registeredVia: 'phone' | 'email';
    now: Date;
  },
): Promise<string> {
  const inserted = await db
    .insertInto('accounts')
    .values({
      phone: row.phone,
      email: row.email,
      phone_verified_at: row.phoneVerifiedAt,
      email_verified_at: null,
      password_hash: row.passwordHash,
      state: row.state,
      registered_via: row.registeredVia,
      created_at: row.now,
      activated_at: row.state === 'active' ? row.now : null,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function recordEmailUse(db: Executor, email: string, accountId: string, at: Date): Promise<void> {
  await db
    .insertInto('email_usages')
    .values({ email, account_id: accountId, first_used_at: at })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
}

/** Activation: pending → active, the address verified and the password set, in one statement. */
export async function activateAccount(db: Executor, id: string, passwordHash: string, at: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ state: 'active', activated_at: at, email_verified_at: at, password_hash: passwordHash, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'pending_activation')
    .execute();
}

/** Sets a confirmed address on an account that has none proved yet. */
export async function setConfirmedEmail(db: Executor, id: string, email: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('accounts')
    .set({ email, email_verified_at: at, updated_at: at })
    .where('id', '=', id)
    .where('email_verified_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function setPassword(db: Executor, id: string, passwordHash: string, at: Date): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash, updated_at: at }).where('id', '=', id).execute();
}

/** Replaces the account's phone or address with a newly proved one. */
export async function replaceContact(db: Executor, id: string, channel: 'phone' | 'email', value: string, at: Date): Promise<void> {
  const set = channel === 'phone' ? { phone: value, phone_verified_at: at, updated_at: at } : { email: value, email_verified_at: at, updated_at: at };
  await db.updateTable('accounts').set(set).where('id', '=', id).execute();
}

/**
 * Ends the account's open password resets: after its password or a contact changes, a reset link
 * sent before (maybe to an address it no longer has) must not work.
 */
export async function retireOpenPasswordResets(db: Executor, accountId: string, at: Date): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ expires_at: at })
    .where('account_id', '=', accountId)
    .where('completed_at', 'is', null)
    .where('expires_at', '>', at)
    .execute();
}
