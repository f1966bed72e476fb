// SQL for the account lifecycle (lifecycle.ts): the state column and what changes with it. Only
// lifecycle.ts calls these.
import type { Executor } from '../db/client.ts';
import type { AccountState } from '../db/schema.ts';

const lockedColumns = [
  'id',
  'state',
  'state_before_suspension',
  'phone',
  'email',
  'phone_verified_at',
  'email_verified_at',
  'realname_bound_at',
  'registered_via',
] as const;

export async function lockAccount(db: Executor, accountId: string) {
  return db.selectFrom('accounts').select(lockedColumns).where('id', '=', accountId).forUpdate().executeTakeFirst();
}

export type LockedAccount = NonNullable<Awaited<ReturnType<typeof lockAccount>>>;

/** Every other live account holding the number (owner, other claimants), locked in id order. */
export async function lockOtherHolders(db: Executor, index: Buffer, accountId: string): Promise<LockedAccount[]> {
  return db
    .selectFrom('accounts')
    .innerJoin('identities', 'identities.account_id', 'accounts.id')
    .select(lockedColumns.map((c) => `accounts.${c}` as const))
    .where('identities.id_index', '=', index)
    .where('accounts.id', '<>', accountId)
    .where('accounts.state', '<>', 'deregistered')
    .orderBy('accounts.id')
    .forUpdate()
    .execute();
}

/** pending → active, the address verified and the password set, in one statement. */
export async function activate(db: Executor, id: string, passwordHash: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('accounts')
    .set({ state: 'active', activated_at: at, email_verified_at: at, password_hash: passwordHash, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'pending_activation')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Moves the state only from `from`; returns whether it moved. */
export async function moveState(db: Executor, id: string, from: AccountState, to: AccountState, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('accounts')
    .set({ state: to, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', from)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function setSuspension(db: Executor, id: string, state: AccountState, stateBefore: AccountState | null, at: Date): Promise<void> {
  await db.updateTable('accounts').set({ state, state_before_suspension: stateBefore, updated_at: at }).where('id', '=', id).execute();
}

export async function deregister(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ state: 'deregistered', phone: null, email: null, phone_verified_at: null, email_verified_at: null, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** A never-activated sign-up given up: only while it is still pending (an activation may have won the row). */
export async function voidPending(db: Executor, id: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('accounts')
    .set({ state: 'deregistered', email: null, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'pending_activation')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function releaseContact(db: Executor, accountId: string, channel: 'phone' | 'email', value: string, at: Date): Promise<void> {
  await db.insertInto('released_contacts').values({ account_id: accountId, channel, value, released_at: at }).execute();
}

/** The address's record of use goes with it: it may register again. */
export async function forgetEmailUse(db: Executor, accountId: string, email?: string): Promise<void> {
  let query = db.deleteFrom('email_usages').where('account_id', '=', accountId);
  if (email) query = query.where('email', '=', email);
  await query.execute();
}

export async function insertAccountEvent(db: Executor, accountId: string, type: string, payload: Record<string, unknown>, at: Date): Promise<void> {
  await db
    .insertInto('account_events')
    .values({ account_id: accountId, type, payload: JSON.stringify(payload), created_at: at })
    .execute();
}
