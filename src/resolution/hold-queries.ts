// SQL for the notice period of 途径3 (resolution_holds): a vouched case waiting for its holders'
// objections, and the objected cases staff decide.
import type { Executor } from '../db/client.ts';
import { claimableBy } from '../db/work-claims.ts';
import type { HoldState } from '../db/schema.ts';

export async function insertHold(db: Executor, row: { index: Buffer; claimantId: string; at: Date; takesEffectAt: Date }): Promise<string> {
  const inserted = await db
    .insertInto('resolution_holds')
    .values({
      id_index: row.index,
      claimant_account_id: row.claimantId,
      path: 'classmate',
      state: 'waiting',
      created_at: row.at,
      takes_effect_at: row.takesEffectAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The claimant's case still open (waiting or objected), if any. */
export async function openHoldOf(db: Executor, claimantId: string) {
  return db
    .selectFrom('resolution_holds')
    .selectAll()
    .where('claimant_account_id', '=', claimantId)
    .where('state', 'in', ['waiting', 'objected'])
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** When the claimant's last case was turned down (vouches before it no longer count). */
export async function lastRejectedAt(db: Executor, claimantId: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('resolution_holds')
    .select('decided_at')
    .where('claimant_account_id', '=', claimantId)
    .where('state', '=', 'rejected')
    .orderBy('decided_at', 'desc')
    .executeTakeFirst();
  return row?.decided_at ?? undefined;
}

/** Whether staff ever turned down classmates' vouches for this number (for any claimant). */
export async function classmateCaseRejectedFor(db: Executor, index: Buffer): Promise<boolean> {
  const row = await db.selectFrom('resolution_holds').select('id').where('id_index', '=', index).where('state', '=', 'rejected').executeTakeFirst();
  return row !== undefined;
}

/** Open cases about a number, for a holder who comes to object. */
export async function openHoldsOnNumber(db: Executor, index: Buffer) {
  return db
    .selectFrom('resolution_holds')
    .selectAll()
    .where('id_index', '=', index)
    .where('state', 'in', ['waiting', 'objected'])
    .orderBy('created_at')
    .execute();
}

export async function claimantOfHold(db: Executor, id: string): Promise<string | undefined> {
  return (await db.selectFrom('resolution_holds').select('claimant_account_id').where('id', '=', id).executeTakeFirst())?.claimant_account_id;
}

export async function lockHold(db: Executor, id: string) {
  return db.selectFrom('resolution_holds').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export type Hold = NonNullable<Awaited<ReturnType<typeof lockHold>>>;

/** Cases whose notice period is over (ids only: each is decided in its own transaction). */
export async function dueHolds(db: Executor, now: Date, limit: number): Promise<Array<{ id: string; claimant_account_id: string }>> {
  return db
    .selectFrom('resolution_holds')
    .select(['id', 'claimant_account_id'])
    .where('state', '=', 'waiting')
    .where('takes_effect_at', '<=', now)
    .orderBy('takes_effect_at')
    .limit(limit)
    .execute();
}

export async function setHoldState(db: Executor, id: string, state: HoldState, at: Date, by?: string, note?: string): Promise<void> {
  await db
    .updateTable('resolution_holds')
    .set({ state, ...(by !== undefined ? { decided_by: by, decided_at: at, decision_note: note ?? null } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function recordObjection(db: Executor, id: string, holderId: string, text: string, at: Date): Promise<void> {
  await db.updateTable('resolution_holds').set({ state: 'objected', objected_by: holderId, objected_at: at, objection: text }).where('id', '=', id).execute();
}

/** Objected cases, oldest objection first, with who the claimant is (masked). */
export async function objectedHolds(db: Executor, limit: number, onlyId?: string) {
  let query = db
    .selectFrom('resolution_holds')
    .innerJoin('accounts', 'accounts.id', 'resolution_holds.claimant_account_id')
    .leftJoin('identities', 'identities.account_id', 'resolution_holds.claimant_account_id')
    .select([
      'resolution_holds.id',
      'resolution_holds.claimant_account_id',
      'resolution_holds.objected_by',
      'resolution_holds.objected_at',
      'resolution_holds.objection',
      'resolution_holds.claimed_by',
      'resolution_holds.claimed_at',
      'resolution_holds.created_at',
      'accounts.registered_via',
      'accounts.phone',
      'accounts.email',
      'identities.name',
      'identities.id_masked',
    ])
    .where('resolution_holds.state', '=', 'objected')
    .orderBy('resolution_holds.objected_at')
    .limit(limit);
  if (onlyId) query = query.where('resolution_holds.id', '=', onlyId);
  return query.execute();
}

export async function claimObjection(db: Executor, id: string, staff: string, now: Date, claimedSince: Date): Promise<boolean> {
  const row = await db
    .updateTable('resolution_holds')
    .set({ claimed_by: staff, claimed_at: now })
    .where('id', '=', id)
    .where('state', '=', 'objected')
    .where(claimableBy(staff, claimedSince))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Every open case about a number but `exceptId` ends (a resolution passed for it another way). Answers their ids. */
export async function cancelOpenHolds(db: Executor, index: Buffer, at: Date, exceptId?: string): Promise<string[]> {
  let query = db
    .updateTable('resolution_holds')
    .set({ state: 'cancelled', decided_at: at })
    .where('id_index', '=', index)
    .where('state', 'in', ['waiting', 'objected']);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.returning('id').execute()).map((r) => r.id);
}

/** A claimant's own open cases end (its account is leaving). Answers their ids. */
export async function cancelHoldsOfClaimant(db: Executor, claimantId: string, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('resolution_holds')
    .set({ state: 'cancelled', decided_at: at })
    .where('claimant_account_id', '=', claimantId)
    .where('state', 'in', ['waiting', 'objected'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** A waiting case goes to staff without a holder's words (a holder cannot sign in to object). */
export async function sendToStaff(db: Executor, id: string, note: string, at: Date): Promise<void> {
  await db.updateTable('resolution_holds').set({ state: 'objected', objected_at: at, objection: note }).where('id', '=', id).execute();
}
