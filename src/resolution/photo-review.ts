// Staff side of 途径2: the queue (oldest first, with the 3-working-day promise), claiming a case so
// two reviewers never decide the same one, viewing the photos (only by the reviewer holding the
// claim; every view audited), and the decision: approve (the resolution passes and the other
// accounts are deregistered) or reject with a reason (the person is told and may submit again).
// The staff console (src/admin) and the `tongxing review` CLI call these; a reviewer is named by
// the staff username, which is what the audit trail records.
import { CLAIM_TTL_MS, claimLapsed } from '../lib/work-claims.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { openBytes } from '../lib/field-crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import type { PhotoKind } from '../db/schema.ts';
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { clause, photosRejected } from '../notifications/templates/index.ts';
import { passResolution } from './passing.ts';
import { REVIEW_WORKING_DAYS, photoAad } from './photo-path.ts';
import { addWorkingDays } from './working-days.ts';
import { maskedUsername, provedContacts } from '../accounts/account-view.ts';
import { lockClaimOfAccount } from '../identity/claims.ts';
import { revealIdNumber } from '../identity/service.ts';
import * as q from './review-queries.ts';
import { isOwnKey } from '../lib/own.ts';

export const REJECTION_REASONS = {
  blurry: '照片不清晰，证件信息无法辨认',
  not_holding: '未手持本人证件，或未将持证手臂和上半身完整拍入',
  covered: '证件信息被遮挡或不完整',
  mismatch: '照片中的证件信息与填写的实名信息不一致',
  edited: '照片经过修改或并非实拍',
} as const;
export type RejectionReason = keyof typeof REJECTION_REASONS;

/** The same reasons in English, for English pages and the English half of the notice. */
export const REJECTION_REASONS_EN: Record<RejectionReason, string> = {
  blurry: 'the photos are not sharp enough to read the ID',
  not_holding: 'you are not holding your own ID, or your arm and upper body are not in the picture',
  covered: 'the ID details are covered or incomplete',
  mismatch: 'the ID in the photos does not match the real-name details you entered',
  edited: 'the photos were edited or are not real photographs',
};

export interface Reviewer {
  id: string;
  ip?: string | null;
}

export async function pendingReviews(deps: Pick<AccountDeps, 'db' | 'clock'>, limit = 50, onlyId?: string) {
  const rows = await q.pendingCases(deps.db, limit, onlyId);
  const now = deps.clock.now();
  return rows.map((r) => {
    const dueBy = addWorkingDays(r.submitted_at, REVIEW_WORKING_DAYS);
    return {
      id: r.id,
      submittedAt: r.submitted_at,
      ageHours: Math.floor((now.getTime() - r.submitted_at.getTime()) / 3_600_000),
      dueBy,
      overdue: dueBy.getTime() < now.getTime(),
      claimedBy: r.claimed_by,
      /** A claim older than this is free for another reviewer to take. */
      claimLapsed: claimLapsed(r.claimed_at, now),
      accountId: r.account_id,
      suspended: r.state === 'suspended',
      username: maskedUsername(r),
      registeredAt: r.created_at,
      name: r.name,
      idMasked: r.id_masked,
    };
  });
}

/** One waiting case, as the queue shows it. */
export async function pendingReview(deps: Pick<AccountDeps, 'db' | 'clock'>, id: string) {
  return (await pendingReviews(deps, 1, id))[0];
}

/**
 * What the reviewer holding the claim compares: the full number the claimant entered (each showing
 * audited, as every decryption is) and the names the other holders of that number entered.
 */
export async function reviewComparison(deps: AccountDeps, reviewId: string, reviewer: Reviewer) {
  const review = await deps.db.transaction().execute((tx) => lockClaimed(tx, reviewId, reviewer));
  const idNumber = await revealIdNumber(
    deps.identity,
    review.account_id,
    { kind: 'staff', id: reviewer.id, ip: reviewer.ip ?? null },
    `photo review ${reviewId}`,
  );
  const holders = await q.otherHoldersOfCase(deps.db, review.account_id);
  return {
    idNumber,
    holders: holders.map((h) => ({ username: maskedUsername(h), name: h.name, registeredAt: h.created_at, suspended: h.state === 'suspended' })),
  };
}

export async function claimReview(deps: AccountDeps, reviewId: string, reviewer: Reviewer): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const accountId = await q.claimCase(tx, reviewId, reviewer.id, now, new Date(now.getTime() - CLAIM_TTL_MS));
    if (!accountId) throw new AppError('review.not_available', { status: 409 });
    await recordAudit(tx, { action: 'review.claimed', actor: { kind: 'staff', id: reviewer.id }, accountId, ip: reviewer.ip, detail: { reviewId }, at: now });
  });
}

async function lockClaimed(tx: Executor, reviewId: string, reviewer: Reviewer) {
  const review = await q.lockCase(tx, reviewId);
  if (!review) throw new AppError('review.not_found', { status: 404 });
  if (review.state !== 'pending') throw new AppError('review.not_pending', { status: 409 });
  if (review.claimed_by !== reviewer.id) throw new AppError('review.not_claimed', { status: 403 });
  return review;
}

/** One photo, decrypted for the reviewer who holds the claim; the view is audited. */
export async function reviewPhoto(deps: AccountDeps, reviewId: string, kind: PhotoKind, reviewer: Reviewer): Promise<{ mediaType: string; data: Buffer }> {
  return deps.db.transaction().execute(async (tx) => {
    const review = await lockClaimed(tx, reviewId, reviewer);
    const file = await q.photoOf(tx, reviewId, kind);
    if (!file) throw new AppError('review.not_found', { status: 404 });
    if (!file.cipher) throw new AppError('retention.photo_erased', { status: 410 });
    const cipher = file.cipher;
    await recordAudit(tx, {
      action: 'review.photo_viewed',
      actor: { kind: 'staff', id: reviewer.id },
      accountId: review.account_id,
      ip: reviewer.ip,
      detail: { reviewId, kind },
      at: deps.clock.now(),
    });
    return { mediaType: file.media_type, data: openBytes(deps.identity.keys, { keyId: file.key_id, data: Buffer.from(cipher) }, photoAad(reviewId, kind)) };
  });
}

export type ReviewDecision = { decision: 'approve'; note?: string | undefined } | { decision: 'reject'; reason: RejectionReason; note?: string | undefined };

export async function decideReview(deps: AccountDeps, reviewId: string, reviewer: Reviewer, input: ReviewDecision): Promise<void> {
  if (input.decision === 'reject' && !isOwnKey(REJECTION_REASONS, input.reason)) throw new ValidationError({ reason: { code: 'review.reason_required' } });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    // The number's claim before the review row: the order every resolution locks in.
    const owner = await q.accountOfCase(tx, reviewId);
    if (owner) await lockClaimOfAccount(tx, owner);
    const review = await lockClaimed(tx, reviewId, reviewer);
    if (input.decision === 'approve') {
      // Support suspended the claimant meanwhile: restore first (or reject), never pass it blind.
      const claimant = await q.claimantOfCase(tx, review.account_id);
      if (claimant.state === 'suspended') throw new AppError('review.account_suspended', { status: 409 });
      await q.decideCase(tx, reviewId, { state: 'approved', by: reviewer.id, at: now });
      const note = input.note?.trim().slice(0, 200);
      await recordAudit(tx, {
        action: 'review.approved',
        actor: { kind: 'staff', id: reviewer.id },
        accountId: review.account_id,
        ip: reviewer.ip,
        detail: { reviewId, ...(note ? { note } : {}) },
        at: now,
      });
      await passResolution(tx, deps, review.account_id, 'photo', { kind: 'staff', id: reviewer.id, ip: reviewer.ip ?? null });
      return;
    }
    const note = clause(input.note?.slice(0, 200) ?? '');
    const reason = `${REJECTION_REASONS[input.reason]}${note ? `：${note}` : ''}`;
    const reasonEn = `${REJECTION_REASONS_EN[input.reason]}${note ? `: ${note}` : ''}`;
    await q.decideCase(tx, reviewId, { state: 'rejected', by: reviewer.id, at: now, reason });
    await recordAudit(tx, {
      action: 'review.rejected',
      actor: { kind: 'staff', id: reviewer.id },
      accountId: review.account_id,
      ip: reviewer.ip,
      detail: { reviewId, reason: input.reason },
      at: now,
    });
    const account = await q.claimantOfCase(tx, review.account_id);
    await notifyContacts(tx, deps.outbox, provedContacts(account), photosRejected({ zh: reason, en: reasonEn }, now));
  });
  deps.outbox.nudge();
}
