// SQL of the social module: its two tables (migration 0019), and the account columns it reads.
import type { Executor } from '../db/client.ts';
import type { SocialProviderName } from './provider.ts';

export type FlowPurpose = 'sign_in' | 'bind' | 'pending_bind';

const bindingColumns = ['id', 'account_id', 'provider', 'subject', 'display_name', 'bound_at'] as const;

/** The account's live bindings. */
export async function liveBindingsOf(db: Executor, accountId: string) {
  return db.selectFrom('social_bindings').select(bindingColumns).where('account_id', '=', accountId).where('released_at', 'is', null).execute();
}

/** The live binding of an identity, with the state and username of the account it signs in to. */
/** Moves a live binding to the provider's newer name for the same person (bindings.ts liveBindingOf). */
export async function renameBindingSubject(db: Executor, bindingId: string, subject: string): Promise<void> {
  await db.updateTable('social_bindings').set({ subject }).where('id', '=', bindingId).where('released_at', 'is', null).execute();
}

export async function liveBindingOfSubject(db: Executor, provider: SocialProviderName, subject: string) {
  return db
    .selectFrom('social_bindings as b')
    .innerJoin('accounts as a', 'a.id', 'b.account_id')
    .select(['b.id', 'b.account_id', 'a.state', 'a.registered_via', 'a.phone', 'a.email'])
    .where('b.provider', '=', provider)
    .where('b.subject', '=', subject)
    .where('b.released_at', 'is', null)
    .executeTakeFirst();
}

const accountColumns = ['id', 'state', 'phone', 'email', 'phone_verified_at', 'email_verified_at', 'password_recovered_at', 'username_recovered_at'] as const;

/** The account columns a binding decision reads, without a lock (pages, early checks). */
export async function accountForBinding(db: Executor, accountId: string) {
  return db.selectFrom('accounts').select(accountColumns).where('id', '=', accountId).executeTakeFirst();
}

/** Locks the account row for a binding change (concurrent binds of one account wait here). */
export async function lockAccountForBinding(tx: Executor, accountId: string) {
  return tx.selectFrom('accounts').select(accountColumns).where('id', '=', accountId).forUpdate().executeTakeFirst();
}

export async function insertBinding(
  tx: Executor,
  row: { accountId: string; provider: SocialProviderName; subject: string; displayName: string | null; at: Date },
): Promise<string> {
  const inserted = await tx
    .insertInto('social_bindings')
    .values({ account_id: row.accountId, provider: row.provider, subject: row.subject, display_name: row.displayName, bound_at: row.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** Releases the account's live binding with one provider; answers it, or undefined when there was none. */
export async function releaseBinding(tx: Executor, accountId: string, provider: SocialProviderName, at: Date) {
  return tx
    .updateTable('social_bindings')
    .set({ released_at: at, release_reason: 'unbound' })
    .where('account_id', '=', accountId)
    .where('provider', '=', provider)
    .where('released_at', 'is', null)
    .returning(['id', 'display_name'])
    .executeTakeFirst();
}

/** Releases every live binding of a deregistered account; answers their ids. */
export async function releaseAllBindings(tx: Executor, accountId: string, at: Date) {
  const rows = await tx
    .updateTable('social_bindings')
    .set({ released_at: at, release_reason: 'deregistered' })
    .where('account_id', '=', accountId)
    .where('released_at', 'is', null)
    .returning(['id', 'provider'])
    .execute();
  return rows;
}

export async function insertFlow(
  db: Executor,
  row: {
    secretHash: Buffer;
    provider: SocialProviderName;
    purpose: FlowPurpose;
    accountId?: string | null;
    next?: string | null;
    subject?: string | null;
    displayName?: string | null;
    at: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('social_flows')
    .values({
      secret_hash: row.secretHash,
      provider: row.provider,
      purpose: row.purpose,
      account_id: row.accountId ?? null,
      next: row.next ?? null,
      subject: row.subject ?? null,
      display_name: row.displayName ?? null,
      created_at: row.at,
      expires_at: row.expiresAt,
    })
    .execute();
}

const flowColumns = ['id', 'provider', 'purpose', 'account_id', 'next', 'subject', 'display_name'] as const;

/** Forgets flows that ended long ago (each start sweeps; the index on expires_at keeps it cheap). */
export async function deleteEndedFlows(db: Executor, before: Date): Promise<void> {
  await db.deleteFrom('social_flows').where('expires_at', '<', before).execute();
}

/** Marks a live flow used and answers it: a second use (or a late one) finds nothing. */
export async function consumeFlow(db: Executor, secretHash: Buffer, purposes: readonly FlowPurpose[], now: Date) {
  return db
    .updateTable('social_flows')
    .set({ consumed_at: now })
    .where('secret_hash', '=', secretHash)
    .where('purpose', 'in', purposes)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(flowColumns)
    .executeTakeFirst();
}

/** A live flow, without using it (the confirmation page shows what it would bind). */
export async function peekFlow(db: Executor, secretHash: Buffer, purpose: FlowPurpose, now: Date) {
  return db
    .selectFrom('social_flows')
    .select(flowColumns)
    .where('secret_hash', '=', secretHash)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/**
 * A deregistered account's retention is over: its bindings (released at deregistration, but
 * still naming the provider's identity and display name) and any sign-in flows naming it go.
 */
export async function deleteBindingsOf(db: Executor, accountId: string): Promise<number> {
  const rows = await db.deleteFrom('social_bindings').where('account_id', '=', accountId).returning('id').execute();
  await db.deleteFrom('social_flows').where('account_id', '=', accountId).execute();
  return rows.length;
}
