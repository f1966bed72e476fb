// What becomes of an ID number when an account holding it leaves — support found the number is not
// the person's (wrong-number.ts), or the person's own 注销帐号 ended its cooling-off
// (leaving/completion.ts) — in the caller's transaction, after the account was deregistered:
// its ID photos still waiting for staff are withdrawn, and the number goes to whoever else holds
// it (identity/claims.ts settleWrongNumber): free when nobody does; the one holder left owns it
// (a claimant among them is settled: active again, its real name bound by a proved phone, and
// told); several keep it disputed.
// Locks: the caller holds the number's claim and the leaving account; the other holders are
// locked here, in id order (accounts/lifecycle.ts).
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { bindRealName } from '../accounts/real-name.ts';
import { provedContacts } from '../accounts/account-view.ts';
import { settleWrongNumber, type Claim } from '../identity/claims.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import type { NoticeText } from '../notifications/templates/index.ts';
import { closePendingReviews } from './queries.ts';

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
  await closePendingReviews(tx, [leavingId], now);
  const remaining = await lifecycle.lockOtherHolders(tx, number.index, leavingId);
  const { heir } = await settleWrongNumber(tx, number.index, number.claim, leavingId, remaining, now);
  const settled = heir ? remaining.find((r) => r.id === heir) : undefined;
  // Nobody disputes the number any more: a waiting claimant owns it now (one suspended meanwhile
  // is settled all the same and comes back active when restored).
  if (settled && lifecycle.isClaimant(settled)) {
    await lifecycle.settleClaimant(tx, settled, now);
    await closePendingReviews(tx, [settled.id], now);
    if (settled.phone && settled.phone_verified_at) await bindRealName(tx, settled.id, 'phone', now);
    await notifyContacts(tx, deps.outbox, provedContacts(settled), heirNotice(now));
  }
  return { remaining: remaining.length };
}
