// 途径2 客服协助验证: a handheld-ID photo plus the card's front and back, each a JPEG, PNG or GIF
// by content, at most 300 KB, rebuilt without metadata and stored encrypted. The case waits for
// staff (3 working days promised); the person sees 审核中, then 通过 or 未通过 with the reason,
// and may submit again after a rejection.
import { AppError, ValidationError } from '../lib/errors.ts';
import { sealBytes, resealAll, type FieldKeys } from '../lib/field-crypto.ts';
import { recordSensitiveConsent } from '../consent/service.ts';
import { recordAudit } from '../audit/audit.ts';
import type { PhotoKind } from '../db/schema.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { cleanImage, ImageRejected } from '../lib/images.ts';
import { addWorkingDays } from './working-days.ts';
import * as q from './queries.ts';
import type { UploadedFile } from '../http/uploads.ts';
import type { Message } from '../i18n/index.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { lockAccount } from '../accounts/lifecycle.ts';
import type { Db } from '../db/client.ts';

export const PHOTO_KINDS: readonly PhotoKind[] = ['handheld', 'front', 'back'];
/** 图片大小不超过300K. */
export const MAX_PHOTO_BYTES = 300 * 1024;
export const REVIEW_WORKING_DAYS = 3;

/** An ID photo as it was uploaded (cut when more than MAX_PHOTO_BYTES were sent). */
export type UploadedPhoto = UploadedFile;

export const photoAad = (reviewId: string, kind: PhotoKind) => `photo:${reviewId}:${kind}`;

export async function submitPhotos(deps: AccountDeps, accountId: string, photos: Partial<Record<PhotoKind, UploadedPhoto>>, meta: RequestMeta): Promise<void> {
  const fields: Record<string, Message> = {};
  const cleaned = new Map<PhotoKind, ReturnType<typeof cleanImage>>();
  for (const kind of PHOTO_KINDS) {
    const photo = photos[kind];
    if (!photo || photo.data.length === 0) fields[kind] = { code: 'photo.required' };
    else if (photo.truncated || photo.data.length > MAX_PHOTO_BYTES) fields[kind] = { code: 'photo.too_large', params: { max: 300 } };
    else {
      try {
        cleaned.set(kind, cleanImage(photo.data));
      } catch (error) {
        if (!(error instanceof ImageRejected)) throw error;
        fields[kind] = { code: error.code };
      }
    }
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);

  const now = deps.clock.now();
  try {
    await deps.db.transaction().execute(async (tx) => {
      const account = await lockAccount(tx, accountId);
      if (account?.state !== 'needs_verification') throw new AppError('resolution.not_needed', { status: 409 });
      // The form's separate consent (routes: assertAcknowledged with 'id_photo'), kept beside the photos.
      await recordSensitiveConsent(tx, accountId, 'id_photo', { ip: meta.ip, at: now });
      const reviewId = await q.insertPhotoReview(tx, accountId, now);
      for (const [kind, image] of cleaned) {
        const sealed = sealBytes(deps.identity.keys, image.data, photoAad(reviewId, kind));
        await q.insertPhotoFile(tx, { reviewId, kind, mediaType: image.mediaType, byteSize: image.data.length, keyId: sealed.keyId, cipher: sealed.data });
      }
      await recordAudit(tx, {
        action: 'resolution.photos_submitted',
        actor: { kind: 'account', id: accountId },
        accountId,
        ip: meta.ip,
        detail: { reviewId },
        at: now,
      });
    });
  } catch (error) {
    // One pending review per person (a unique index): a second submission while one waits.
    if (isUniqueViolation(error)) throw new AppError('photo.already_pending', { status: 409 });
    throw error;
  }
}

/**
 * 撤回申请并删除照片: the person withdraws their consent to the photos while staff have not decided
 * (PIPL art. 15, 47). The review closes (nothing is left for staff; no decision is sent), the
 * photos are erased at once rather than after the retention of decided cases, and the audit says
 * so. They may send new photos, or take another path, afterwards.
 */
export async function withdrawPhotos(deps: AccountDeps, accountId: string, meta: RequestMeta): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    await lockAccount(tx, accountId);
    const now = deps.clock.now();
    const reviewId = await q.withdrawPendingReview(tx, accountId, now);
    if (!reviewId) return false;
    const erased = await q.erasePhotosOfReview(tx, reviewId, now);
    await recordAudit(tx, {
      action: 'resolution.photos_withdrawn',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { reviewId, erased },
      at: now,
    });
    return true;
  });
}

export interface PhotoReviewStatus {
  state: 'pending' | 'approved' | 'rejected' | 'closed';
  submittedAt: Date;
  expectedBy: Date;
  decidedAt: Date | null;
  reason: string | null;
}

/** 证件重复-客服审核: the person's latest review and when it is due. */
export async function latestPhotoReview(deps: Pick<AccountDeps, 'db'>, accountId: string): Promise<PhotoReviewStatus | undefined> {
  const row = await q.latestPhotoReviewOf(deps.db, accountId);
  if (!row) return undefined;
  return {
    state: row.state,
    submittedAt: row.submitted_at,
    expectedBy: addWorkingDays(row.submitted_at, REVIEW_WORKING_DAYS),
    decidedAt: row.decided_at,
    reason: row.reason,
  };
}

/** `tongxing keys rotate`: the ID photos sealed under an older key, re-sealed under the active one. */
export async function rotatePhotoKeys(deps: { db: Db; keys: FieldKeys }): Promise<number> {
  const rows = await q.photoFilesUnderOtherKeys(deps.db, deps.keys.activeKeyId);
  return resealAll(
    deps.keys,
    rows,
    (r) => ({ sealed: { keyId: r.key_id, data: r.cipher }, aad: photoAad(r.review_id, r.kind as PhotoKind) }),
    (r, sealed, oldKeyId) => q.replacePhotoCipher(deps.db, r, oldKeyId, sealed.keyId, sealed.data),
  );
}
