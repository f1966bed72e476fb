// SQL for disputes of a deregistration (deregistration_disputes): opened from a notice's link,
// worked by support in the console.
import type { Executor } from '../db/client.ts';
import { claimableBy } from '../db/work-claims.ts';
import type { DisputeState } from '../db/schema.ts';

export async function insertDispute(
  db: Executor,
  row: { accountId: string; resolutionId: string | null; whatHappened: string; channel: 'phone' | 'email'; contact: string; ip: string | null; at: Date },
): Promise<string> {
  const inserted = await db
    .insertInto('deregistration_disputes')
    .values({
      account_id: row.accountId,
      resolution_id: row.resolutionId,
      state: 'pending',
      what_happened: row.whatHappened,
      contact_channel: row.channel,
      contact: row.contact,
      ip: row.ip,
      created_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

const caseColumns = [
  'deregistration_disputes.id',
  'deregistration_disputes.account_id',
  'deregistration_disputes.resolution_id',
  'deregistration_disputes.state',
  'deregistration_disputes.what_happened',
  'deregistration_disputes.contact_channel',
  'deregistration_disputes.contact',
  'deregistration_disputes.created_at',
  'deregistration_disputes.claimed_by',
  'deregistration_disputes.claimed_at',
  'resolutions.path',
  'resolutions.passed_at',
  'resolutions.claimant_account_id',
  'resolutions.reversed_at',
  'identities.name',
  'identities.id_masked',
  'accounts.state as account_state',
] as const;

/** Pending disputes, oldest first, with the resolution they are about and the name on the account. */
export async function pendingDisputes(db: Executor, limit: number, onlyId?: string) {
  let query = db
    .selectFrom('deregistration_disputes')
    .leftJoin('resolutions', 'resolutions.id', 'deregistration_disputes.resolution_id')
    .leftJoin('identities', 'identities.account_id', 'deregistration_disputes.account_id')
    .innerJoin('accounts', 'accounts.id', 'deregistration_disputes.account_id')
    .select(caseColumns)
    .where('deregistration_disputes.state', '=', 'pending')
    .orderBy('deregistration_disputes.created_at')
    .limit(limit);
  if (onlyId) query = query.where('deregistration_disputes.id', '=', onlyId);
  return query.execute();
}

export type PendingDispute = Awaited<ReturnType<typeof pendingDisputes>>[number];

export async function lockDispute(db: Executor, id: string) {
  return db.selectFrom('deregistration_disputes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The dispute unlocked: what to lock first (its account's number, then the accounts). */
export async function disputeById(db: Executor, id: string) {
  return db.selectFrom('deregistration_disputes').select(['account_id', 'resolution_id']).where('id', '=', id).executeTakeFirst();
}

export async function claimDispute(db: Executor, id: string, staff: string, now: Date, claimedSince: Date): Promise<boolean> {
  const row = await db
    .updateTable('deregistration_disputes')
    .set({ claimed_by: staff, claimed_at: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where(claimableBy(staff, claimedSince))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function decideDispute(db: Executor, id: string, state: Exclude<DisputeState, 'pending'>, by: string, note: string, at: Date): Promise<void> {
  await db.updateTable('deregistration_disputes').set({ state, decided_by: by, decided_at: at, decision_note: note }).where('id', '=', id).execute();
}

/** Whether the account has disputed its deregistration already (any outcome). */
export async function hasDisputed(db: Executor, accountId: string): Promise<boolean> {
  const row = await db.selectFrom('deregistration_disputes').select('id').where('account_id', '=', accountId).executeTakeFirst();
  return row !== undefined;
}
