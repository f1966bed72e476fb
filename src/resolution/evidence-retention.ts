// ID photos (途径2) and liveness results (途径1) are evidence for one decision: once the case is
// decided they are kept EVIDENCE_RETENTION_DAYS (for a dispute or a complaint about it), then
// erased. The photo's bytes go and erased_at is set; the rows stay, so staff see that a case had
// evidence and that it went by the retention rule, and the decision itself (state, who, when) is
// kept with the account. Each erasure is one transaction with its audit event, so a node stopping
// halfway leaves nothing half erased; nodes running it at once erase a review only once (the
// update re-checks that its photos are still there).
import type { Db } from '../db/client.ts';
import { recordAudit } from '../audit/audit.ts';
import * as q from './queries.ts';

/** Reviews erased per round; the rest wait for the next (clean-up runs every few minutes). */
const BATCH = 200;

export async function eraseDecidedEvidence(db: Db, now: Date, retentionMs: number): Promise<{ photoReviews: number; livenessSessions: number }> {
  const before = new Date(now.getTime() - retentionMs);
  let photoReviews = 0;
  for (const review of await q.reviewsWithEvidenceDecidedBefore(db, before, BATCH)) {
    const erased = await db.transaction().execute(async (tx) => {
      const kinds = await q.erasePhotosOfReview(tx, review.id, now);
      if (kinds.length === 0) return false;
      await recordAudit(tx, {
        action: 'resolution.evidence_erased',
        actor: { kind: 'system' },
        accountId: review.account_id,
        detail: { reviewId: review.id, photos: kinds },
        at: now,
      });
      return true;
    });
    if (erased) photoReviews++;
  }
  const sessions = await db.transaction().execute(async (tx) => {
    const rows = await q.eraseLivenessCompletedBefore(tx, before, now);
    for (const s of rows)
      await recordAudit(tx, {
        action: 'resolution.evidence_erased',
        actor: { kind: 'system' },
        accountId: s.account_id,
        detail: { livenessSessionId: s.id },
        at: now,
      });
    return rows.length;
  });
  return { photoReviews, livenessSessions: sessions };
}
