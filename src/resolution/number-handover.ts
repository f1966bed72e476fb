// What becomes of an ID number when an account holding it leaves — support found the number is not
// the person's (wrong-number.ts), or the person's own 注销帐号 ended its cooling-off
// (leaving/completion.ts) — in the caller's transaction, after the account was deregistered.
//
// First the leaver's own steps end, since nobody can finish them any more: its ID photos waiting
// for staff, its 途径3 notice periods, the classmate confirmations it asked for and nobody gave
// yet (so nobody spends one of a year's few on it), its face checks not yet done.
//
// Then the number goes to whoever else holds it (identity/claims.ts settleWrongNumber): free when
// nobody does; several keep it disputed; the one holder left owns it. A claimant left alone is
// settled as a passed path would settle it (active again, its real name bound by a proved phone,
// its own open steps and every other case about the number closed) and told — unless support
// once reversed a resolution it had passed: the evidence it rested on is spent (passing.ts), so it
// stays a claimant, the number disputed in its name, and only staff (途径2) can give it the number.
// Locks: the caller holds the number's claim and the leaving account; the other holders are
// locked here, in id order (accounts/lifecycle.ts).
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { bindRealName } from '../accounts/real-name.ts';
import { provedContacts } from '../accounts/account-view.ts';
import { recordAudit } from '../audit/audit.ts';
import { disputeClaim, settleWrongNumber, type Claim } from '../identity/claims.ts';
import { expirePendingFrom } from '../inbox/queries.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { notifyPlatforms } from '../sso/platform-events.ts';
import { duplicateSettledWhileSuspended, type NoticeText } from '../notifications/templates/index.ts';
import { CLASSMATE_VOUCH } from './classmate-path.ts';
import { cancelHoldsOfClaimant, cancelOpenHolds } from './hold-queries.ts';
import { closePendingReviews, endPendingLiveness, hasReversedResolution } from './queries.ts';

/** Answers how many other accounts still hold the number. */
export async function handNumberOn(
  tx: Executor,
  deps: AccountDeps,
  number: { index: Buffer; claim: Claim | undefined },
  leavingId: string,
  /** What a claimant who now owns the number is told. */
  heirNotice: (at: Date) => NoticeText,
): Promise<{ remaining: number }> {
  const now = deps.clock.now();
  await endStepsOf(tx, leavingId, now);
  const remaining = await lifecycle.lockOtherHolders(tx, number.index, leavingId);
  const { heir } = await settleWrongNumber(tx, number.index, number.claim, leavingId, remaining, now);
  const settled = heir ? remaining.find((r) => r.id === heir) : undefined;
  if (!settled || !lifecycle.isClaimant(settled)) return { remaining: remaining.length };
  if (await hasReversedResolution(tx, settled.id, number.index)) {
    await disputeClaim(tx, number.index, now);
    return { remaining: remaining.length };
  }
  // Nobody disputes the number any more: the waiting claimant owns it now (one suspended
  // meanwhile is settled all the same and comes back active when restored).
  await lifecycle.settleClaimant(tx, settled, now);
  // Every case about the number ends (its own among them), then the rest of its steps: it needs none.
  const cancelled = await cancelOpenHolds(tx, number.index, now);
  await endStepsOf(tx, settled.id, now);
  if (settled.phone && settled.phone_verified_at) await bindRealName(tx, settled.id, 'phone', now);
  // What a passed path tells (passing.ts): the account's events and the platforms it uses.
  await lifecycle.recordAccountEvent(tx, settled.id, 'identity.verified', { path: 'handed_on' }, now);
  await notifyPlatforms(tx, deps.outbox, settled.id, 'identity.verified', now, { path: 'handed_on' });
  await recordAudit(tx, {
    action: 'identity.number_handed_on',
    actor: { kind: 'system' },
    accountId: settled.id,
    detail: { from: leavingId, holdsCancelled: cancelled },
    at: now,
  });
  // A heir support has suspended is told the truth: resolved, usable once restored.
  await notifyContacts(tx, deps.outbox, provedContacts(settled), settled.state === 'suspended' ? duplicateSettledWhileSuspended(now) : heirNotice(now));
  return { remaining: remaining.length };
}

/** An account's own steps toward the number end: it left, or owns the number now. */
async function endStepsOf(tx: Executor, accountId: string, now: Date): Promise<void> {
  await closePendingReviews(tx, [accountId], now);
  await cancelHoldsOfClaimant(tx, accountId, now);
  await expirePendingFrom(tx, accountId, CLASSMATE_VOUCH, now);
  await endPendingLiveness(tx, [accountId], now);
}
