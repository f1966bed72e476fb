// SQL for accounts and the record of email addresses used on the site.
import { sql } from 'kysely';
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
  'username_recovered_at',
  'credential_epoch',
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

// Changing the password or a proved contact counts one credential change (credential_epoch):
// password-reset links issued before it stop working (recovery compares the count).

export async function setPassword(db: Executor, id: string, passwordHash: string, at: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set((eb) => ({ password_hash: passwordHash, updated_at: at, credential_epoch: eb('credential_epoch', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** A username reminder (找回用户名) went to the account: WeChat/Alipay binding waits 2 hours after it. */
export async function markUsernameRecovered(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('accounts').set({ username_recovered_at: at }).where('id', '=', id).execute();
}

/** A password set through 找回密码: recorded, since WeChat/Alipay binding waits 2 hours after it. */
export async function setRecoveredPassword(db: Executor, id: string, passwordHash: string, at: Date): Promise<void> {
  await db
    .updateTable('accounts')
    .set((eb) => ({ password_hash: passwordHash, password_recovered_at: at, updated_at: at, credential_epoch: eb('credential_epoch', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Replaces the account's phone or address with a newly proved one. */
export async function replaceContact(db: Executor, id: string, channel: 'phone' | 'email', value: string, at: Date): Promise<void> {
  const set = channel === 'phone' ? { phone: value, phone_verified_at: at, updated_at: at } : { email: value, email_verified_at: at, updated_at: at };
  await db
    .updateTable('accounts')
    .set((eb) => ({ ...set, credential_epoch: eb('credential_epoch', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** The new account is an enterprise's (企业用户): it holds no person's real-name information. */
export async function markEnterprise(db: Executor, id: string): Promise<void> {
  await db.updateTable('accounts').set({ kind: 'enterprise' }).where('id', '=', id).execute();
}

export async function kindOf(db: Executor, id: string) {
  return (await db.selectFrom('accounts').select('kind').where('id', '=', id).executeTakeFirst())?.kind;
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

/** Sets a proved phone or address on the account, only where none is proved yet. */
export async function bindContact(db: Executor, accountId: string, channel: 'phone' | 'email', value: string, now: Date): Promise<boolean> {
  const set = channel === 'phone' ? { phone: value, phone_verified_at: now, updated_at: now } : { email: value, email_verified_at: now, updated_at: now };
  const row = await db
    .updateTable('accounts')
    .set((eb) => ({ ...set, credential_epoch: eb('credential_epoch', '+', 1) }))
    .where('id', '=', accountId)
    .where(channel === 'phone' ? 'phone_verified_at' : 'email_verified_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

// The inbox's count (requests still open, notices not yet read) lives on the account, so the
// header shows it from the session's own read. The inbox (inbox/) keeps it in step with its items.

export async function countUnread(db: Executor, accountId: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set((eb) => ({ inbox_unread: eb('inbox_unread', '+', 1) }))
    .where('id', '=', accountId)
    .execute();
}

/** Sets the header's count to what the inbox says is still open (its requests and unread notices). */
export async function setUnread(db: Executor, accountId: string, count: number): Promise<void> {
  await db.updateTable('accounts').set({ inbox_unread: count }).where('id', '=', accountId).where('inbox_unread', '<>', count).execute();
}

/** The phones and addresses a deregistered account gave up (kept for staff and for a reversal). */
export async function releasedContactsOf(db: Executor, accountId: string) {
  return db.selectFrom('released_contacts').select(['channel', 'value', 'released_at']).where('account_id', '=', accountId).execute();
}

/** Whether support has confirmed an enterprise account as its enterprise's (enterprise/confirmation.ts). */
export async function enterpriseConfirmed(db: Executor, accountId: string): Promise<boolean> {
  const row = await db.selectFrom('enterprises').select('confirmed_at').where('account_id', '=', accountId).executeTakeFirst();
  return Boolean(row?.confirmed_at);
}

/**
 * The deregistered account that last gave up this phone or address (and did not get it back), with
 * its password hash: its owner signing in is told what happened instead of "wrong password".
 */
export async function formerAccountByContact(db: Executor, channel: 'phone' | 'email', value: string) {
  return db
    .selectFrom('released_contacts')
    .innerJoin('accounts', 'accounts.id', 'released_contacts.account_id')
    .select(['accounts.id', 'accounts.password_hash'])
    .where('released_contacts.channel', '=', channel)
    .where('released_contacts.value', '=', value)
    .where('released_contacts.restored_at', 'is', null)
    .where('accounts.state', '=', 'deregistered')
    .orderBy('released_contacts.released_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** When and why an account was last deregistered (its account event). */
export async function lastDeregistration(db: Executor, accountId: string) {
  return db
    .selectFrom('account_events')
    .select(['created_at', 'payload'])
    .where('account_id', '=', accountId)
    .where('type', '=', 'account.deregistered')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Registrations still waiting for activation that were made before `before`, oldest first. */
export async function unactivatedBefore(db: Executor, before: Date, limit: number) {
  return db
    .selectFrom('accounts')
    .select('id')
    .where('state', '=', 'pending_activation')
    .where('activated_at', 'is', null)
    .where('created_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** Locks a registration that still waits and is still old enough; undefined when not (or another node has it). */
export async function lockUnactivated(db: Executor, id: string, before: Date) {
  return db
    .selectFrom('accounts')
    .select(['id', 'kind', 'registered_via', 'created_at'])
    .where('id', '=', id)
    .where('state', '=', 'pending_activation')
    .where('activated_at', 'is', null)
    .where('created_at', '<', before)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Deletes a locked, never-activated registration and the record of its address's use. */
export async function deleteUnactivated(db: Executor, id: string): Promise<boolean> {
  await db.deleteFrom('email_usages').where('account_id', '=', id).execute();
  const row = await db.deleteFrom('accounts').where('id', '=', id).where('state', '=', 'pending_activation').returning('id').executeTakeFirst();
  return row !== undefined;
}

/**
 * What the way on from a new session needs, in one statement (a sign-in's cost is counted in
 * statements): when the account's own 注销帐号 takes effect, while it is cooling off (the table is
 * leaving/'s); and how many of `current` (document, version) pairs the account agreed to
 * (consent_records, consent/'s).
 */
export async function sessionStartFacts(
  db: Executor,
  accountId: string,
  current: readonly { document: 'terms' | 'privacy'; version: string }[],
): Promise<{ deregistrationDue: Date | undefined; agreedCurrent: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('self_deregistrations').select('due_at').where('account_id', '=', accountId).where('state', '=', 'cooling_off').limit(1).as('due_at'),
      eb
        .selectFrom('consent_records')
        .select(sql<string>`count(distinct document)`.as('n'))
        .where('account_id', '=', accountId)
        .where((w) => w.or(current.map((c) => w.and([w('document', '=', c.document), w('version', '=', c.version)]))))
        .as('agreed'),
    ])
    .executeTakeFirstOrThrow();
  return { deregistrationDue: row.due_at ?? undefined, agreedCurrent: Number(row.agreed ?? 0) };
}
