// Deletes what has no use any more, each through the module that owns it: spent or expired
// captchas, codes and link tokens, ended sessions, old password-reset requests, lapsed rate-limit
// counters, CAS tickets past their life, copies of personal data (下载个人信息) past their 24
// hours. Audit events and the record of used addresses stay.
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { DAY } from '../lib/clock.ts';
import { deleteExpiredCaptchas } from '../captcha/queries.ts';
import { deleteCodesExpiredBefore, deleteLinkTokensExpiredBefore } from '../verification/queries.ts';
import { deleteSessionsEndedBefore } from '../sessions/queries.ts';
import { deleteStaffSessionsEndedBefore } from '../admin/staff-queries.ts';
import { deleteResetsExpiredBefore } from '../recovery/queries.ts';
import { deleteLapsedCounters } from '../security/queries.ts';
import { deleteExpiredCasTickets } from '../cas/service.ts';
import { deletePendingSignInsEndedBefore } from '../mfa/queries.ts';
import { deleteExpiredChallenges } from '../passkeys/queries.ts';
import { deleteExportsEndedBefore, expireExports } from '../privacy-export/queries.ts';

/** Kept a while after they end, so support can still see a recent code or session. */
const GRACE_MS = 30 * DAY;

export async function deleteExpired(db: Db, clock: Clock): Promise<Record<string, number>> {
  const now = clock.now();
  const old = new Date(now.getTime() - GRACE_MS);
  return {
    captchas: await deleteExpiredCaptchas(db, now),
    codes: await deleteCodesExpiredBefore(db, old),
    linkTokens: await deleteLinkTokensExpiredBefore(db, old),
    sessions: await deleteSessionsEndedBefore(db, old),
    staffSessions: await deleteStaffSessionsEndedBefore(db, old),
    passwordResets: await deleteResetsExpiredBefore(db, old),
    rateLimits: await deleteLapsedCounters(db, now),
    // Unvalidated service tickets (seconds old) and TGTs past their session's lifetime.
    casTickets: await deleteExpiredCasTickets(db, now),
    // Half sign-ins (second factor due) live minutes; kept the grace period like sessions.
    pendingSignIns: await deletePendingSignInsEndedBefore(db, old),
    // Passkey challenges nobody answered (minutes old).
    passkeyChallenges: await deleteExpiredChallenges(db, now),
    // 下载个人信息: a copy's file is deleted once its 24 hours are over; the row (no data) a while later.
    dataExportsExpired: await expireExports(db, now),
    dataExports: await deleteExportsEndedBefore(db, old),
  };
}
