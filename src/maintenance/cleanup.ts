// Deletes what has no use any more, each through the module that owns it: spent or expired
// captchas, codes and link tokens, ended sessions, old password-reset requests, lapsed rate-limit
// counters, CAS tickets past their life, copies of personal data (下载个人信息) past their 24
// hours. Then the retention rules (config.ts, Retention): registrations never activated, evidence
// of decided cases, settled requests of people without an account, and whole months of the audit trail and the outbox past their period (monthly
// partitions, db/partitions.ts).
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { DEFAULT_RETENTION, ENDED_RECORDS_GRACE_MS, type Retention } from '../config.ts';
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
import { upkeepAuditPartitions } from '../audit/retention.ts';
import { upkeepOutboxPartitions } from '../notifications/retention.ts';
import { eraseDecidedEvidence } from '../resolution/evidence-retention.ts';
import { removeUnactivated, type RemovalLog } from './unactivated.ts';
import { removeSettledRequests } from './settled-requests.ts';

/** Kept a while after they end, so support can still see a recent code or session. */
const GRACE_MS = ENDED_RECORDS_GRACE_MS;

export interface CleanupOptions {
  retention?: Retention;
  log?: RemovalLog;
}

export async function deleteExpired(db: Db, clock: Clock, options: CleanupOptions = {}): Promise<Record<string, number>> {
  const now = clock.now();
  const old = new Date(now.getTime() - GRACE_MS);
  const retention = options.retention ?? DEFAULT_RETENTION;
  const counts = {
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
  const unactivated = await removeUnactivated(db, now, retention.unactivatedMs, options.log);
  const evidence = await eraseDecidedEvidence(db, now, retention.evidenceMs);
  const requests = await removeSettledRequests(db, now, retention);
  const audit = await upkeepAuditPartitions(db, now, retention.auditMonths);
  const outbox = await upkeepOutboxPartitions(db, now, retention.outboxMonths);
  const busy = [...audit.busy, ...outbox.busy];
  if (busy.length > 0) options.log?.warn({ partitions: busy }, 'partition upkeep waited too long for a table lock; the next round tries again');
  if (outbox.kept.length > 0) options.log?.warn({ partitions: outbox.kept }, 'outbox months past their retention kept: they still hold messages not yet sent');
  return {
    ...counts,
    unactivatedAccounts: unactivated,
    photoReviewsErased: evidence.photoReviews,
    livenessSessionsErased: evidence.livenessSessions,
    supportRequestsRemoved: requests.support,
    enterpriseRequestsRemoved: requests.enterprise,
    auditPartitionsDropped: audit.dropped.length,
    outboxPartitionsDropped: outbox.dropped.length,
    outboxPartitionsKept: outbox.kept.length,
  };
}
