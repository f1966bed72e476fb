// Support reverses a wrongful deregistration (a dispute upheld), in one transaction:
//
//   1. the deregistered account returns to the state it left, with the phone and address it gave
//      up where nobody took them since (accounts/lifecycle.ts reinstate); platforms told when it
//      ended hear `account.restored`;
//   2. if it owned the number, the resolution that deregistered it no longer stands: the claimant
//      it favoured is a claimant again (待身份核验), its real-name binding undone, its sign-ins and
//      platform grants ended and platforms told `identity.revoked`; the number is the earlier
//      owner's, disputed while the claimant still claims it. If the account was itself only a
//      claimant, it comes back as one and the number stays with its owner, disputed;
//   3. both people are told, the dispute is closed, and each step is in the audit trail.
//
// Locks, in the order of every decision about a number: the number's claim, then the claimant,
// then the deregistered account, then the dispute.
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { maskedUsername, provedContacts } from '../accounts/account-view.ts';
import { lockClaimOfAccount, reopenDispute, returnToOwner } from '../identity/claims.ts';
import { identityIndexOf } from '../identity/queries.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { deregistrationReversed, verificationReversed } from '../notifications/templates/index.ts';
import type { QueueWorker } from '../lib/work-claims.ts';
import { givenContact, heldDispute } from './disputes.ts';
import * as dq from './dispute-queries.ts';
import { markResolutionReversed, resolutionById } from './queries.ts';

/** Whether the account owned its number when it was deregistered (a claimant never did). */
function ownedTheNumber(account: lifecycle.LockedAccount): boolean {
  const before = account.state_before_deregistration;
  return before === 'active' || (before === 'suspended' && account.state_before_suspension !== 'needs_verification');
}

export async function reverseDeregistration(deps: AccountDeps, disputeId: string, staff: QueueWorker, reason: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const accountId = await dq.accountOfDispute(tx, disputeId);
    if (!accountId) throw new AppError('review.not_found', { status: 404 });
    const index = await lockClaimOfAccount(tx, accountId);
    const opened = await dq.lockDispute(tx, disputeId);
    const resolution = opened?.resolution_id ? await resolutionById(tx, opened.resolution_id) : undefined;
    if (!index || !resolution) throw new AppError('console.dispute_not_reversible', { status: 409 });
    const claimant = await lifecycle.lockAccount(tx, resolution.claimant_account_id);
    const account = await lifecycle.lockAccount(tx, accountId);
    const dispute = await heldDispute(tx, disputeId, staff);
    if (!account || account.state !== 'deregistered' || !account.state_before_deregistration)
      throw new AppError('console.dispute_not_reversible', { status: 409 });

    const now = deps.clock.now();
    const actor = { kind: 'staff' as const, id: staff.username, ip: staff.ip };
    const wasOwner = ownedTheNumber(account);
    const restored = await lifecycle.reinstate(tx, deps, account, actor, reason);

    const claimantIdentity = claimant ? await identityIndexOf(tx, claimant.id) : undefined;
    const claimantStillClaims =
      claimant !== undefined && claimant.state !== 'deregistered' && claimantIdentity !== undefined && Buffer.from(claimantIdentity.id_index).equals(index);
    if (wasOwner) {
      if (!resolution.reversed_at) {
        await markResolutionReversed(tx, resolution.id, staff.username, now);
        if (claimantStillClaims && claimant) {
          await lifecycle.reopenClaim(tx, deps, claimant, resolution.passed_at);
          await notifyContacts(tx, deps.outbox, provedContacts(claimant), verificationReversed);
          await recordAudit(tx, {
            action: 'identity.resolution_reversed',
            actor: { kind: 'staff', id: staff.username },
            accountId: claimant.id,
            ip: staff.ip,
            detail: { disputeId, resolutionId: resolution.id, path: resolution.path },
            at: now,
          });
        }
      }
      await returnToOwner(tx, index, account.id, claimantStillClaims, now);
    } else {
      // A claimant comes back as one: the number stays with its owner, disputed again.
      await reopenDispute(tx, index, now);
    }

    await dq.decideDispute(tx, disputeId, 'reversed', staff.username, reason, now);
    // The restored contacts hear it; so does the contact the person gave, when it is another.
    const back = (await lifecycle.lockAccount(tx, account.id))!;
    const notice = deregistrationReversed(maskedUsername(back));
    const reachable = provedContacts(back);
    await notifyContacts(tx, deps.outbox, reachable, notice);
    if (dispute.contact !== reachable.phone && dispute.contact !== reachable.email) await notifyContacts(tx, deps.outbox, givenContact(dispute), notice);
    await recordAudit(tx, {
      action: 'dispute.reversed',
      actor: { kind: 'staff', id: staff.username },
      accountId: account.id,
      ip: staff.ip,
      detail: { disputeId, resolutionId: resolution.id, wasOwner, ...restored, reason },
      at: now,
    });
  });
  deps.outbox.nudge();
}
