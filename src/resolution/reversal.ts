// Support reverses a wrongful deregistration (a dispute upheld), in one transaction:
//
//   1. the deregistered account returns to the state it left, with the phone and address it gave
//      up where nobody took them since (accounts/lifecycle.ts reinstate); platforms told when it
//      ended hear `account.restored`;
//   2. if it owned the number and the resolution's claimant still owns it (or nobody live does),
//      that resolution no longer stands: the claimant is a claimant again (待身份核验), its
//      real-name binding undone, its sign-ins and platform grants ended and platforms told
//      `identity.revoked`; the number is the earlier owner's, disputed while anyone else holds
//      it. If the account was only a claimant, or someone else has proved the number since, it
//      comes back as a claimant (待身份核验) and the number stays with its owner, disputed;
//   3. both people are told, the dispute is closed, and each step is in the audit trail.
//
// Locks, in the order of every decision about a number: the number's claim, then the claimant,
// then the deregistered account (and the owner now, and other holders), then the dispute.
import type { Executor } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { maskedUsername, provedContacts } from '../accounts/account-view.ts';
import { findClaim, lockClaimOfAccount, returnAsClaimant, returnToOwner } from '../identity/claims.ts';
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
  try {
    await deps.db.transaction().execute((tx) => reverseIn(tx, deps, disputeId, staff, reason));
  } catch (error) {
    // A phone or address registered by someone else at this very moment: nothing was changed.
    if (isUniqueViolation(error)) throw new AppError('console.try_again', { status: 409 });
    throw error;
  }
  deps.outbox.nudge();
}

async function reverseIn(tx: Executor, deps: AccountDeps, disputeId: string, staff: QueueWorker, reason: string): Promise<void> {
  const opened = await dq.disputeById(tx, disputeId);
  if (!opened) throw new AppError('review.not_found', { status: 404 });
  const resolution = opened.resolution_id ? await resolutionById(tx, opened.resolution_id) : undefined;
  const index = await lockClaimOfAccount(tx, opened.account_id);
  if (!index || !resolution) throw new AppError('console.dispute_not_reversible', { status: 409 });
  const claim = await findClaim(tx, index);
  const claimant = await lifecycle.lockAccount(tx, resolution.claimant_account_id);
  const account = await lifecycle.lockAccount(tx, opened.account_id);
  const dispute = await heldDispute(tx, disputeId, staff);
  if (!account || account.state !== 'deregistered' || !account.state_before_deregistration)
    throw new AppError('console.dispute_not_reversible', { status: 409 });

  const now = deps.clock.now();
  const actor = { kind: 'staff' as const, id: staff.username, ip: staff.ip };
  const claimantIdentity = claimant ? await identityIndexOf(tx, claimant.id) : undefined;
  const claimantHolds =
    claimant !== undefined && claimant.state !== 'deregistered' && claimantIdentity !== undefined && Buffer.from(claimantIdentity.id_index).equals(index);
  // The number goes back to the account only if the resolution's claimant still owns it (or
  // nobody live does). When another owner has proved it since, the account comes back as a
  // claimant and must prove it against them, as must an account that was only a claimant.
  const ownerNow = claim ? await lifecycle.lockAccount(tx, claim.owner_account_id) : undefined;
  const someoneElseOwns = ownerNow !== undefined && ownerNow.state !== 'deregistered' && ownerNow.id !== resolution.claimant_account_id;
  const becomesOwner = ownedTheNumber(account) && !someoneElseOwns;
  const restored = await lifecycle.reinstate(tx, deps, account, actor, reason, becomesOwner ? undefined : 'needs_verification');

  if (becomesOwner) {
    if (!resolution.reversed_at) await markResolutionReversed(tx, resolution.id, staff.username, now);
    if (claimantHolds && claimant && claim?.owner_account_id === claimant.id) {
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
    const othersHold = (await lifecycle.lockOtherHolders(tx, index, account.id)).length > 0;
    await returnToOwner(tx, index, account.id, othersHold, now);
  } else {
    await returnAsClaimant(tx, index, account.id, now);
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
    detail: { disputeId, resolutionId: resolution.id, owner: becomesOwner, ...restored, reason },
    at: now,
  });
}
