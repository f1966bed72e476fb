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
  'state_before_deregistration',
  'personal_data_erased_at',
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

export async function deregister(db: Executor, id: string, stateBefore: AccountState, at: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      state: 'deregistered',
      state_before_deregistration: stateBefore,
      phone: null,
      email: null,
      phone_verified_at: null,
      email_verified_at: null,
      updated_at: at,
    })
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

export async function releaseContact(
  db: Executor,
  accountId: string,
  channel: 'phone' | 'email',
  value: string,
  verifiedAt: Date | null,
  at: Date,
): Promise<void> {
  await db.insertInto('released_contacts').values({ account_id: accountId, channel, value, verified_at: verifiedAt, released_at: at }).execute();
}

/** What the account gave up when it was deregistered and has not had back, newest first. */
export async function unrestoredContacts(db: Executor, accountId: string) {
  return db
    .selectFrom('released_contacts')
    .select(['channel', 'value', 'verified_at', 'released_at'])
    .where('account_id', '=', accountId)
    .where('restored_at', 'is', null)
    .orderBy('released_at', 'desc')
    .execute();
}

/** Whether a live account (other than `accountId`) holds the phone or address now. */
export async function contactTaken(db: Executor, channel: 'phone' | 'email', value: string, accountId: string): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('id').where(channel, '=', value).where('id', '<>', accountId).executeTakeFirst();
  if (row) return true;
  if (channel === 'phone') return false;
  // An address keeps its record of use: only its own account may have it back.
  const used = await db.selectFrom('email_usages').select('account_id').where('email', '=', value).where('account_id', '<>', accountId).executeTakeFirst();
  return used !== undefined;
}

/** Deregistered → the state it left, with what contacts it gets back (each proved when it had been). */
export async function reinstate(
  db: Executor,
  id: string,
  state: AccountState,
  contacts: { phone?: { value: string; verifiedAt: Date | null }; email?: { value: string; verifiedAt: Date | null } },
  at: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('accounts')
    .set({
      state,
      state_before_deregistration: null,
      ...(contacts.phone ? { phone: contacts.phone.value, phone_verified_at: contacts.phone.verifiedAt } : {}),
      ...(contacts.email ? { email: contacts.email.value, email_verified_at: contacts.email.verifiedAt } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .where('state', '=', 'deregistered')
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  for (const [channel, contact] of Object.entries(contacts) as Array<['phone' | 'email', { value: string }]>) {
    await db
      .updateTable('released_contacts')
      .set({ restored_at: at })
      .where('account_id', '=', id)
      .where('channel', '=', channel)
      .where('value', '=', contact.value)
      .where('restored_at', 'is', null)
      .execute();
  }
  return true;
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

export async function unbindRealName(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('accounts').set({ realname_bound_at: null, realname_bound_via: null, updated_at: at }).where('id', '=', id).execute();
}

/**
 * A deregistered account's personal information goes (its retention is over): the password hash
 * and the contacts it released. Once only: false when it was erased already or is not deregistered.
 */
export async function eraseDeregistered(db: Executor, id: string, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('accounts')
    .set({ password_hash: '', personal_data_erased_at: at, realname_bound_via: null })
    .where('id', '=', id)
    .where('state', '=', 'deregistered')
    .where('personal_data_erased_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await db.deleteFrom('released_contacts').where('account_id', '=', id).execute();
  await db.deleteFrom('email_usages').where('account_id', '=', id).execute();
  return true;
}
