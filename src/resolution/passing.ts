// When one verification path passes, in the caller's transaction: the claimant owns the ID number,
// and every other account holding it is deregistered (注销, see accounts/lifecycle.ts: it cannot
// sign in, everything it holds ends, its phone and email leave it, its contacts are told, with a
// link to dispute it: disputes.ts, reversal.ts).
// Nothing is deleted: the account rows, their identities and their audit trails stay for staff.
// Locks: the claim first, then the claimant, then the other holders in id order (the order of
// accounts/lifecycle.ts), so paths passing at once for one number serialise and the later finds
// nothing to do.
import type { Executor } from '../db/client.ts';
import type { ResolutionPath } from '../db/schema.ts';
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { lockClaimOfAccount, makeOwner } from '../identity/claims.ts';
import { notifyPlatforms } from '../sso/platform-events.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { bindRealName } from '../accounts/real-name.ts';
import { maskedUsername, provedContacts } from '../accounts/account-view.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { deregisteredByResolution, resolutionPassed } from '../notifications/templates/index.ts';
import { issueDisputeLink } from './dispute-link.ts';
import { cancelOpenHolds } from './hold-queries.ts';
import * as q from './queries.ts';
import { releaseSocialBindings } from '../social/bindings.ts';

export interface PassedResolution {
  deregistered: string[];
}

export async function passResolution(
  tx: Executor,
  deps: AccountDeps,
  claimantId: string,
  path: ResolutionPath,
  actor: lifecycle.Actor,
  /** The notice-period case being settled by this pass, which its caller closes itself. */
  settlingHoldId?: string,
): Promise<PassedResolution> {
  const now = deps.clock.now();
  const index = await lockClaimOfAccount(tx, claimantId);
  const claimant = index && (await lifecycle.lockAccount(tx, claimantId));
  if (!index || !claimant || claimant.state !== 'needs_verification') throw new AppError('resolution.not_needed', { status: 409 });
  // Once support reversed a resolution this claimant passed, the evidence it rested on is spent:
  // only a staff decision (途径2's review) can give it the number again.
  if (actor.kind !== 'staff' && (await q.hasReversedResolution(tx, claimantId, index))) throw new AppError('resolution.staff_only', { status: 409 });
  const others = await lifecycle.lockOtherHolders(tx, index, claimantId);

  for (const other of others) {
    // Each notice carries the way back: a single-use link to dispute the deregistration.
    const disputeToken = await issueDisputeLink(tx, deps, other.id);
    await lifecycle.deregister(tx, deps, other, {
      reason: 'duplicate_id_resolved',
      detail: { path, claimant: claimantId },
      actor,
      notice: deregisteredByResolution(maskedUsername(other), now, `${deps.publicUrl}/dispute/${disputeToken}`),
    });
    await releaseSocialBindings(tx, deps, other.id);
  }

  const deregistered = others.map((o) => o.id);
  await q.closePendingReviews(tx, [claimantId, ...deregistered], now);
  // Whatever else waited to decide this number (a vouched case in its notice period) is moot now.
  const cancelled = await cancelOpenHolds(tx, index, now, settlingHoldId);
  if (cancelled.length)
    await recordAudit(tx, {
      action: 'resolution.notice_cancelled',
      actor: { kind: 'system' },
      accountId: claimantId,
      detail: { holds: cancelled, path },
      at: now,
    });
  await makeOwner(tx, index, claimantId, now);
  await lifecycle.settleClaimant(tx, claimant, now);
  // A proved phone binds the real name now, as it does for a first owner.
  if (claimant.phone && claimant.phone_verified_at) await bindRealName(tx, claimantId, 'phone', now);
  await q.insertResolution(tx, { index, claimantId, path, deregistered, at: now });
  await lifecycle.recordAccountEvent(tx, claimantId, 'identity.verified', { path }, now);
  await notifyPlatforms(tx, deps.outbox, claimantId, 'identity.verified', now, { path });
  await recordAudit(tx, {
    action: 'identity.resolution_passed',
    actor: { kind: actor.kind, id: actor.id ?? null },
    accountId: claimantId,
    ip: actor.ip ?? null,
    detail: { path, deregistered: deregistered.length },
    at: now,
  });
  await notifyContacts(tx, deps.outbox, provedContacts(claimant), resolutionPassed(now));
  return { deregistered };
}
