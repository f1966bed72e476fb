// SQL for the photo-review queue (途径2): the cases, their photos and the decisions on them.
import type { Executor } from '../db/client.ts';
import { claimableBy } from '../db/work-claims.ts';
import type { PhotoKind } from '../db/schema.ts';

/** Waiting cases, oldest first, with what the queue shows of the person (masked). */
export async function pendingCases(db: Executor, limit: number, onlyId?: string) {
  let query = db
    .selectFrom('photo_reviews')
    .innerJoin('accounts', 'accounts.id', 'photo_reviews.account_id')
    .leftJoin('identities', 'identities.account_id', 'photo_reviews.account_id')
    .select([
      'photo_reviews.id',
      'photo_reviews.submitted_at',
      'photo_reviews.claimed_by',
      'photo_reviews.claimed_at',
      'photo_reviews.account_id',
      'accounts.registered_via',
      'accounts.state',
      'accounts.phone',
      'accounts.email',
      'accounts.created_at',
      'identities.name',
      'identities.id_masked',
    ])
    .where('photo_reviews.state', '=', 'pending')
    .orderBy('photo_reviews.submitted_at')
    .limit(limit);
  if (onlyId) query = query.where('photo_reviews.id', '=', onlyId);
  return query.execute();
}

/** Gives the case to `reviewer` unless another holds a claim newer than `claimedSince`; answers its account. */
export async function claimCase(db: Executor, id: string, reviewer: string, now: Date, claimedSince: Date): Promise<string | undefined> {
  const row = await db
    .updateTable('photo_reviews')
    .set({ claimed_by: reviewer, claimed_at: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where(claimableBy(reviewer, claimedSince))
    .returning('account_id')
    .executeTakeFirst();
  return row?.account_id;
}

export async function lockCase(db: Executor, id: string) {
  return db.selectFrom('photo_reviews').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function accountOfCase(db: Executor, id: string): Promise<string | undefined> {
  return (await db.selectFrom('photo_reviews').select('account_id').where('id', '=', id).executeTakeFirst())?.account_id;
}

export async function photoOf(db: Executor, reviewId: string, kind: PhotoKind) {
  return db.selectFrom('photo_files').selectAll().where('review_id', '=', reviewId).where('kind', '=', kind).executeTakeFirst();
}

export async function decideCase(db: Executor, id: string, decision: { state: 'approved' | 'rejected'; by: string; at: Date; reason?: string }): Promise<void> {
  await db
    .updateTable('photo_reviews')
    .set({ state: decision.state, decided_by: decision.by, decided_at: decision.at, ...(decision.reason ? { reason: decision.reason } : {}) })
    .where('id', '=', id)
    .execute();
}

/** The claimant as a decision needs it: its state, and where its notice goes. */
export async function claimantOfCase(db: Executor, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['state', 'phone', 'email', 'phone_verified_at', 'email_verified_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
}

/** The other live accounts holding the claimant's number, with the names they entered (what a reviewer compares). */
export async function otherHoldersOfCase(db: Executor, claimantId: string) {
  return db
    .selectFrom('identities as mine')
    .innerJoin('identities as theirs', 'theirs.id_index', 'mine.id_index')
    .innerJoin('accounts', 'accounts.id', 'theirs.account_id')
    .select(['accounts.id', 'accounts.phone', 'accounts.email', 'accounts.registered_via', 'accounts.created_at', 'accounts.state', 'theirs.name'])
    .where('mine.account_id', '=', claimantId)
    .where('theirs.account_id', '<>', claimantId)
    .where('accounts.state', '<>', 'deregistered')
    .orderBy('accounts.created_at')
    .execute();
}
