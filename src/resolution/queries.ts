// SQL for duplicate-ID resolution: the claimant's case, the other holders of the number, the
// record of each passed resolution and of what deregistration released.
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';
import type { ResolutionPath } from '../db/schema.ts';
import { noOpenCase } from './open-case-queries.ts';

/** The other live holders, for the warning shown before a path starts (not locked). */
export async function otherHolders(db: Executor, index: Buffer, claimantId: string) {
  return db
    .selectFrom('accounts')
    .innerJoin('identities', 'identities.account_id', 'accounts.id')
    .select(['accounts.id', 'accounts.phone', 'accounts.email', 'accounts.registered_via', 'accounts.created_at'])
    .where('identities.id_index', '=', index)
    .where('accounts.id', '<>', claimantId)
    .where('accounts.state', '<>', 'deregistered')
    .execute();
}

export async function platformsUsedBy(db: Executor, accountIds: string[]): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db.selectFrom('platform_usages').select('platform').distinct().where('account_id', 'in', accountIds).orderBy('platform').execute();
  return rows.map((r) => r.platform);
}

/** Pending photo reviews of these accounts are closed: nothing is left for staff to decide. */
export async function closePendingReviews(db: Executor, accountIds: string[], at: Date): Promise<void> {
  if (accountIds.length === 0) return;
  await db.updateTable('photo_reviews').set({ state: 'closed', decided_at: at }).where('account_id', 'in', accountIds).where('state', '=', 'pending').execute();
}

export async function insertResolution(
  db: Executor,
  row: { index: Buffer; claimantId: string; path: ResolutionPath; deregistered: string[]; at: Date },
): Promise<void> {
  await db
    .insertInto('resolutions')
    .values({
      id_index: row.index,
      claimant_account_id: row.claimantId,
      path: row.path,
      deregistered_account_ids: sql<string[]>`${sql.val(row.deregistered)}::uuid[]`,
      passed_at: row.at,
    })
    .execute();
}

export async function latestResolutionFor(db: Executor, claimantId: string) {
  return db
    .selectFrom('resolutions')
    .select(['path', 'passed_at', 'deregistered_account_ids'])
    .where('claimant_account_id', '=', claimantId)
    .where('reversed_at', 'is', null)
    .orderBy('passed_at', 'desc')
    .executeTakeFirst();
}

/**
 * The latest resolution that deregistered an account, if any (what a dispute is about). One that
 * support reversed on another holder's dispute still counts: this holder may be owed a reversal too.
 */
export async function resolutionThatDeregistered(db: Executor, accountId: string) {
  return db
    .selectFrom('resolutions')
    .select(['id', 'id_index', 'claimant_account_id', 'path', 'passed_at'])
    .where(sql<boolean>`${accountId}::uuid = any(deregistered_account_ids)`)
    .orderBy('passed_at', 'desc')
    .executeTakeFirst();
}

export async function resolutionById(db: Executor, id: string) {
  return db
    .selectFrom('resolutions')
    .select(['id', 'id_index', 'claimant_account_id', 'path', 'passed_at', 'reversed_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Whether support has reversed a resolution this claimant passed for this number. */
export async function hasReversedResolution(db: Executor, claimantId: string, index: Buffer): Promise<boolean> {
  const row = await db
    .selectFrom('resolutions')
    .select('id')
    .where('claimant_account_id', '=', claimantId)
    .where('id_index', '=', index)
    .where('reversed_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function markResolutionReversed(db: Executor, id: string, by: string, at: Date): Promise<void> {
  await db.updateTable('resolutions').set({ reversed_at: at, reversed_by: by }).where('id', '=', id).execute();
}

export async function insertPhotoReview(db: Executor, accountId: string, at: Date): Promise<string> {
  const row = await db
    .insertInto('photo_reviews')
    .values({ account_id: accountId, state: 'pending', submitted_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertPhotoFile(
  db: Executor,
  row: { reviewId: string; kind: 'handheld' | 'front' | 'back'; mediaType: string; byteSize: number; keyId: string; cipher: Buffer },
): Promise<void> {
  await db
    .insertInto('photo_files')
    .values({ review_id: row.reviewId, kind: row.kind, media_type: row.mediaType, byte_size: row.byteSize, key_id: row.keyId, cipher: row.cipher })
    .execute();
}

export async function latestPhotoReviewOf(db: Executor, accountId: string) {
  // A new submission can share its instant with the decision on the last one; the undecided wins.
  return db
    .selectFrom('photo_reviews')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('submitted_at', 'desc')
    .orderBy((eb) => eb.case().when('state', '=', 'pending').then(0).else(1).end())
    .limit(1)
    .executeTakeFirst();
}

export async function insertLivenessSession(
  db: Executor,
  row: { accountId: string; tokenHash: Buffer; provider: string; now: Date; expiresAt: Date },
): Promise<string> {
  const inserted = await db
    .insertInto('liveness_sessions')
    .values({
      account_id: row.accountId,
      token_hash: row.tokenHash,
      provider: row.provider,
      state: 'pending',
      created_at: row.now,
      expires_at: row.expiresAt,
      completed_at: null,
      reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function livenessByToken(db: Executor, tokenHash: Buffer) {
  return db.selectFrom('liveness_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function livenessById(db: Executor, id: string, accountId: string) {
  return db.selectFrom('liveness_sessions').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

/** Face checks not yet finished end unpassed (their account left, or no longer needs one). */
export async function endPendingLiveness(db: Executor, accountIds: string[], at: Date): Promise<void> {
  if (accountIds.length === 0) return;
  await db
    .updateTable('liveness_sessions')
    .set({ state: 'failed', reason: 'closed', completed_at: at })
    .where('account_id', 'in', accountIds)
    .where('state', '=', 'pending')
    .execute();
}

/** Ends a pending session once: returns false when it was no longer pending (used, or raced). */
export async function finishLiveness(db: Executor, id: string, state: 'passed' | 'failed', reason: string | null, at: Date): Promise<boolean> {
  const row = await db
    .updateTable('liveness_sessions')
    .set({ state, reason, completed_at: at })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function photoFilesUnderOtherKeys(db: Executor, activeKeyId: string) {
  // An erased photo has nothing left to re-encrypt.
  return db
    .selectFrom('photo_files')
    .select(['review_id', 'kind', 'key_id', 'cipher'])
    .where('key_id', '<>', activeKeyId)
    .where('cipher', 'is not', null)
    .$narrowType<{ cipher: Buffer }>()
    .execute();
}

export async function replacePhotoCipher(
  db: Executor,
  row: { review_id: string; kind: string },
  oldKeyId: string,
  keyId: string,
  cipher: Buffer,
): Promise<void> {
  await db
    .updateTable('photo_files')
    .set({ key_id: keyId, cipher })
    .where('review_id', '=', row.review_id)
    .where('kind', '=', row.kind as 'handheld')
    .where('key_id', '=', oldKeyId)
    // Erased since it was read (the retention rule ran meanwhile): the bytes stay gone.
    .where('cipher', 'is not', null)
    .execute();
}

/** 途径4 tries made for a number (every account's, matched or not). */
export async function recordChecksOf(db: Executor, idIndex: Buffer): Promise<number> {
  const row = await db
    .selectFrom('record_checks')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('id_index', '=', idIndex)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertRecordCheck(db: Executor, row: { index: Buffer; accountId: string; matched: boolean; at: Date }): Promise<void> {
  await db.insertInto('record_checks').values({ id_index: row.index, account_id: row.accountId, matched: row.matched, created_at: row.at }).execute();
}

/**
 * Decided photo reviews (approved, rejected, closed) before `before` whose photos are still held.
 * An account party to an open case keeps them until it closes (staff may need to look again).
 */
export async function reviewsWithEvidenceDecidedBefore(db: Executor, before: Date, limit: number) {
  return db
    .selectFrom('photo_reviews')
    .select(['photo_reviews.id', 'photo_reviews.account_id', 'photo_reviews.state'])
    .where('photo_reviews.state', '<>', 'pending')
    .where('photo_reviews.decided_at', '<', before)
    .where((eb) => eb.exists(eb.selectFrom('photo_files').select('kind').whereRef('review_id', '=', 'photo_reviews.id').where('cipher', 'is not', null)))
    .where(noOpenCase(sql.ref('photo_reviews.account_id')))
    .orderBy('photo_reviews.decided_at')
    .limit(limit)
    .execute();
}

/** The account's pending review closes at its own request (its photos are erased with it). Answers its id. */
export async function withdrawPendingReview(db: Executor, accountId: string, at: Date): Promise<string | undefined> {
  const row = await db
    .updateTable('photo_reviews')
    .set({ state: 'closed', decided_at: at, reason: 'withdrawn' })
    .where('account_id', '=', accountId)
    .where('state', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Erases a decided review's photos: the bytes go, the row and erased_at stay. Answers the kinds erased. */
export async function erasePhotosOfReview(db: Executor, reviewId: string, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('photo_files')
    .set({ cipher: null, erased_at: at })
    .where('review_id', '=', reviewId)
    .where('cipher', 'is not', null)
    .where((eb) => eb.exists(eb.selectFrom('photo_reviews').select('id').where('id', '=', reviewId).where('state', '<>', 'pending')))
    .returning('kind')
    .execute();
  return rows.map((r) => r.kind);
}

/**
 * Erases what liveness sessions finished before `before` still hold of the provider's result
 * (its reason); the verdict stays, since a resolution rests on it. An account party to an open
 * case keeps them until it closes. Answers the sessions erased.
 */
export async function eraseLivenessCompletedBefore(db: Executor, before: Date, at: Date) {
  return db
    .updateTable('liveness_sessions')
    .set({ reason: null, erased_at: at })
    .where('state', '<>', 'pending')
    .where('completed_at', '<', before)
    .where('erased_at', 'is', null)
    .where(noOpenCase(sql.ref('liveness_sessions.account_id')))
    .returning(['id', 'account_id', 'state'])
    .execute();
}

/**
 * A deregistered account's retention is over: the ID photos it sent for review go — the bytes, as
 * the evidence rule erases them (the rows stay with erased_at, so staff see they were erased
 * rather than that none were sent; the reviews' decisions stay).
 */
export async function erasePhotoFilesOf(db: Executor, accountId: string, at: Date): Promise<number> {
  const rows = await db
    .updateTable('photo_files')
    .set({ cipher: null, erased_at: at })
    .where('review_id', 'in', db.selectFrom('photo_reviews').select('id').where('account_id', '=', accountId))
    .where('cipher', 'is not', null)
    .returning('review_id')
    .execute();
  return rows.length;
}
