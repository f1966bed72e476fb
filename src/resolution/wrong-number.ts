// 情况三: support has seen evidence that the ID number an account was registered with is not the
// person's. Real-name fields never change, so the account is deregistered as resolution
// deregisters, and its phone and email are freed (the address's record of use too) for the person
// to register again with the right number. The number goes to whoever else still holds it (a
// lone remaining claimant becomes its owner and is told) or becomes free (number-handover.ts).
// Locks: the claim, then the account, then the other holders (accounts/lifecycle.ts).
import type { Executor } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { maskedUsername } from '../accounts/account-view.ts';
import { lockClaim, lockClaimOfAccount } from '../identity/claims.ts';
import { deregisteredForWrongId, duplicateSettledBySupport } from '../notifications/templates/index.ts';
import { releaseSocialBindings } from '../social/bindings.ts';
import { handNumberOn } from './number-handover.ts';

export async function markIdNumberWrong(tx: Executor, deps: AccountDeps, accountId: string, actor: lifecycle.Actor, reason: string): Promise<void> {
  const now = deps.clock.now();
  const index = await lockClaimOfAccount(tx, accountId);
  if (!index) throw new AppError('console.no_identity', { status: 409 });
  const account = await lifecycle.lockAccount(tx, accountId);
  lifecycle.assertLive(account);
  const claim = await lockClaim(tx, index);
  await lifecycle.deregister(tx, deps, account, {
    reason: 'wrong_id_number',
    detail: {},
    actor,
    releaseEmailUse: true,
    notice: deregisteredForWrongId(maskedUsername(account), now),
  });
  await releaseSocialBindings(tx, deps, accountId);
  const { remaining } = await handNumberOn(tx, deps, { index, claim }, accountId, duplicateSettledBySupport);
  await recordAudit(tx, {
    action: 'identity.marked_wrong',
    actor: { kind: actor.kind, id: actor.id ?? null },
    accountId,
    ip: actor.ip ?? null,
    detail: { reason, remainingHolders: remaining },
    at: now,
  });
}
