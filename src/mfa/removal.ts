// Removing a second factor through 找回密码, for someone who lost both the authenticator and the
// recovery codes. Proving the phone or mailbox (and the real-name answers) is not enough on its
// own — those are what a thief with the phone has — so the removal waits (7 days by default,
// SECOND_FACTOR_REMOVAL_WAIT_DAYS) and the person's contacts are told at once and again when it
// happens. Signing in with the second factor in between cancels it (the owner still has it).
//
//   asked ──waiting period over (sweep, or the next sign-in)──▶ done (authenticator and codes deleted)
//     └────signed in with the second factor, or turned off on the settings page──▶ cancelled
// Each step is one transaction with the account row locked first, then the removal.
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/client.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import type { MfaDeps } from './deps.ts';
import { removalCancelled, removalDone, removalRequested } from './notices.ts';
import * as q from './queries.ts';

/**
 * In the recovery's own transaction: asks for the removal (an open one keeps its date). Returns
 * when it takes effect, or undefined when the account has no second factor to remove.
 */
export async function requestRemoval(tx: Executor, deps: MfaDeps, accountId: string, via: 'sms' | 'email', meta: RequestMeta): Promise<Date | undefined> {
  await q.lockAccount(tx, accountId);
  if (!(await q.secondFactorOn(tx, accountId))) return undefined;
  const now = deps.clock.now();
  const effectiveAt = new Date(now.getTime() + deps.secondFactor.removalWaitMs);
  if (!(await q.insertRemoval(tx, { accountId, via, now, effectiveAt }))) return (await q.openRemoval(tx, accountId))?.effective_at;
  await recordAudit(tx, {
    action: 'mfa.removal_requested',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { via, effectiveAt: effectiveAt.toISOString() },
    at: now,
  });
  await notifyContacts(tx, deps.outbox, await q.provedContactsOf(tx, accountId), removalRequested(now, effectiveAt));
  return effectiveAt;
}

/** In the sign-in's transaction: a sign-in with the second factor cancels a waiting removal. */
export async function cancelRemovalBySignIn(tx: Executor, deps: MfaDeps, accountId: string, meta: RequestMeta): Promise<boolean> {
  const removal = await q.openRemoval(tx, accountId);
  const now = deps.clock.now();
  if (!removal || !(await q.closeRemoval(tx, removal.id, 'cancelled_at', now))) return false;
  await recordAudit(tx, { action: 'mfa.removal_cancelled', actor: { kind: 'account', id: accountId }, accountId, ip: meta.ip, at: now });
  await notifyContacts(tx, deps.outbox, await q.provedContactsOf(tx, accountId), removalCancelled(now));
  return true;
}

/** Finishes the account's removal if its date has come; true when it did now. */
export async function applyDueRemoval(deps: MfaDeps, accountId: string): Promise<boolean> {
  const open = await q.openRemoval(deps.db, accountId);
  if (!open || open.effective_at.getTime() > deps.clock.now().getTime()) return false;
  return finish(deps, accountId, open.id);
}

async function finish(deps: MfaDeps, accountId: string, removalId: string): Promise<boolean> {
  const done = await deps.db.transaction().execute(async (tx) => {
    await q.lockAccount(tx, accountId);
    const now = deps.clock.now();
    // Re-checked under the lock: cancelled or finished by another request meanwhile, nothing to do.
    if (!(await q.closeRemoval(tx, removalId, 'completed_at', now))) return false;
    await q.deleteSecondFactor(tx, accountId);
    await recordAudit(tx, { action: 'mfa.removed_after_wait', actor: { kind: 'system' }, accountId, at: now });
    await notifyContacts(tx, deps.outbox, await q.provedContactsOf(tx, accountId), removalDone(now));
    return true;
  });
  if (done) deps.outbox.nudge();
  return done;
}

/** The timer's task (main.ts): every removal whose waiting period is over. Safe on several nodes. */
export async function finishDueRemovals(deps: MfaDeps): Promise<number> {
  let finished = 0;
  for (const due of await q.dueRemovals(deps.db, deps.clock.now())) if (await finish(deps, due.account_id, due.id)) finished++;
  return finished;
}
