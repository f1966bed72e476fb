// When a request's cooling-off period is over, the timer (main.ts) deregisters the account as
// the resolution deregisters (accounts/lifecycle.ts's deregister, as resolution/passing.ts and
// resolution/wrong-number.ts call it): the person is told, sessions end, platforms hear
// account.deregistered (webhook and back-channel logout, CAS single logout through its sessions),
// grants and consents end, the phone and email are released by lifecycle's rule, social bindings
// go. Then the ID number is handed on as support's wrong-number case hands it on
// (resolution/number-handover.ts: free when nobody else holds it, so it may be registered again;
// the one claimant left owns it and is told), and a claimant's own reviews close.
//
// Locks: the number's claim, the account, the request, then (in the hand-over) the other holders
// and the leaver's own steps. accounts/lifecycle.ts puts what hangs off an account after the
// holders; the request is the exception, safely: it is only ever locked under its account's lock
// (here, and by 撤销注销, which takes no claim and no other holder), so no cycle can form.
// Everything is re-checked under them, so two nodes running at once, or a 撤销注销 a moment
// before, leave one outcome: the second runner finds the request closed.
// A suspended account, or one whose number is under appeal (requests.ts whyWait), waits: the
// request stays cooling off and is tried again on every run; the person is told once that it
// waits and why, and again when it may go on, RESUME_GRACE_DAYS before it does.
import type { Executor } from '../db/client.ts';
import { recordAudit } from '../audit/audit.ts';
import { lockClaim, lockClaimOfAccount } from '../identity/claims.ts';
import { identityIndexOf } from '../identity/queries.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { maskedUsername, provedContacts } from '../accounts/account-view.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { duplicateSettledOtherLeft } from '../notifications/templates/index.ts';
import { handNumberOn } from '../resolution/number-handover.ts';
import { releaseSocialBindings } from '../social/bindings.ts';
import type { LeavingDeps } from './deps.ts';
import { deregisteredAtOwnRequest, deregistrationResumed, deregistrationWaiting } from './notices.ts';
import { DAY } from '../lib/clock.ts';
import { whyWait } from './requests.ts';
import * as q from './queries.ts';

/** Days between the end of a wait and the deregistration it held up. */
export const RESUME_GRACE_DAYS = 3;

export type CompletionOutcome = 'completed' | 'waiting' | 'closed' | 'nothing';

/** One due request, in its own transaction. 'closed': the account had been deregistered otherwise meanwhile. */
export async function completeRequest(deps: LeavingDeps, request: { id: string; account_id: string }): Promise<CompletionOutcome> {
  return deps.db.transaction().execute((tx) => completeInTransaction(tx, deps, request));
}

async function completeInTransaction(tx: Executor, deps: LeavingDeps, due: { id: string; account_id: string }): Promise<CompletionOutcome> {
  const accountId = due.account_id;
  const index = await lockClaimOfAccount(tx, accountId);
  const account = await lifecycle.lockAccount(tx, accountId);
  // Real-name information saved between reading the account's number and locking the account
  // would leave that number's claim unlocked and held by a deregistered account: the next run
  // starts over with it.
  if (!index && (await identityIndexOf(tx, accountId))) return 'nothing';
  const request = await q.lockRequest(tx, due.id);
  const now = deps.clock.now();
  if (!account || !request || request.state !== 'cooling_off' || request.due_at.getTime() > now.getTime()) return 'nothing';
  if (account.state === 'deregistered') {
    await q.closeRequest(tx, request.id, 'completed', now);
    await recordAudit(tx, {
      action: 'leaving.completed',
      actor: { kind: 'system' },
      accountId,
      detail: { requestId: request.id, alreadyDeregistered: true },
      at: now,
    });
    return 'closed';
  }
  const claim = index ? await lockClaim(tx, index) : undefined;
  const wait = whyWait(account, await q.numberUnderDispute(tx, accountId));
  if (wait) {
    if (await q.markWaitingTold(tx, request.id, now)) {
      const why = wait === 'leaving.blocked_suspended' ? 'suspended' : 'open_case';
      await notifyContacts(tx, deps.outbox, provedContacts(account), deregistrationWaiting(now, why, RESUME_GRACE_DAYS));
      await recordAudit(tx, { action: 'leaving.waiting', actor: { kind: 'system' }, accountId, detail: { requestId: request.id, why: wait }, at: now });
    }
    return 'waiting';
  }
  // It waited (a suspension, say, during which the person could not sign in to cancel): it goes
  // on only after a few more days, told, so that cancelling is possible again first.
  if (request.waiting_told_at) {
    const dueAt = new Date(now.getTime() + RESUME_GRACE_DAYS * DAY);
    await q.resumeAfterWait(tx, request.id, dueAt);
    await notifyContacts(tx, deps.outbox, provedContacts(account), deregistrationResumed(now, dueAt));
    await recordAudit(tx, {
      action: 'leaving.resumed',
      actor: { kind: 'system' },
      accountId,
      detail: { requestId: request.id, dueAt: dueAt.toISOString() },
      at: now,
    });
    return 'waiting';
  }
  await lifecycle.deregister(tx, deps, account, {
    reason: 'self_requested',
    detail: { requestId: request.id },
    actor: { kind: 'system' },
    notice: deregisteredAtOwnRequest(maskedUsername(account), now),
  });
  await releaseSocialBindings(tx, deps, accountId);
  if (index) await handNumberOn(tx, deps, { index, claim }, accountId, duplicateSettledOtherLeft);
  await q.closeRequest(tx, request.id, 'completed', now);
  await recordAudit(tx, {
    action: 'leaving.completed',
    actor: { kind: 'system' },
    accountId,
    detail: { requestId: request.id, requestedAt: request.requested_at.toISOString() },
    at: now,
  });
  return 'completed';
}

/**
 * The timer's task: every request whose cooling-off is over. Each is its own transaction; one
 * that fails is reported after the others were tried. Answers how many accounts were deregistered.
 */
export async function completeDueDeregistrations(deps: LeavingDeps, limit = 50): Promise<number> {
  let completed = 0;
  const failures: unknown[] = [];
  for (const due of await q.dueRequests(deps.db, deps.clock.now(), limit)) {
    try {
      if ((await completeRequest(deps, due)) === 'completed') completed++;
    } catch (error) {
      failures.push(error);
    }
  }
  if (completed) deps.outbox.nudge();
  if (failures.length) throw new AggregateError(failures, `${failures.length} due deregistration(s) could not be completed`);
  return completed;
}
