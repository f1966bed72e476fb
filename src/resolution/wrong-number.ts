// 情况三: support has seen evidence that the ID number an account was registered with is not the
// person's. Real-name fields never change, so the account is deregistered as resolution
// deregisters, and its phone and email are freed (the address's record of use too) for the person
// to register again with the right number. The number goes to whoever else still holds it (a
// lone remaining claimant becomes its owner and is told) or becomes free (identity/claims.ts).
// Locks: the claim, then the account, then the other holders (accounts/lifecycle.ts).
import type { Executor } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { bindRealName } from '../accounts/real-name.ts';
import { maskedUsername, provedContacts } from '../accounts/account-view.ts';
import { lockClaim, lockClaimOfAccount, settleWrongNumber } from '../identity/claims.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { deregisteredForWrongId, duplicateSettledBySupport } from '../notifications/templates/index.ts';
import * as q from './queries.ts';
import { releaseSocialBindings } from '../social/bindings.ts';

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
  await q.closePendingReviews(tx, [accountId], now);
  const remaining = await lifecycle.lockOtherHolders(tx, index, accountId);
  const { heir } = await settleWrongNumber(tx, index, claim, accountId, remaining, now);
  const settled = heir ? remaining.find((r) => r.id === heir) : undefined;
  // Nobody disputes the number any more: a waiting claimant owns it now (one suspended meanwhile
  // is settled all the same and comes back active when restored).
  if (settled && lifecycle.isClaimant(settled)) {
    await lifecycle.settleClaimant(tx, settled, now);
    await q.closePendingReviews(tx, [settled.id], now);
    if (settled.phone && settled.phone_verified_at) await bindRealName(tx, settled.id, 'phone', now);
    await notifyContacts(tx, deps.outbox, provedContacts(settled), duplicateSettledBySupport(now));
  }
  await recordAudit(tx, {
    action: 'identity.marked_wrong',
    actor: { kind: actor.kind, id: actor.id ?? null },
    accountId,
    ip: actor.ip ?? null,
    detail: { reason, remainingHolders: remaining.length },
    at: now,
  });
}
