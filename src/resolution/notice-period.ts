// 途径3's notice period. A vouch is weaker evidence than the other paths (NIST 800-63A accepts
// vouching only by equally proofed people who know the applicant), so when enough classmates
// have confirmed, nothing is deregistered yet: the current holders of the number are told at
// once through their proved contacts, and the case waits (RESOLUTION_CLASSMATE_NOTICE_HOURS,
// default 72). A holder who signs in and objects sends it to staff; without an objection it
// passes when the period ends.
//
//   waiting ──period over──▶ passed
//      │ ╲──the claimant resolved another way──▶ cancelled
//      └──a holder objects──▶ objected ──staff──▶ upheld (passes now) | rejected (the vouches no longer count)
//
// Locks: the number's claim, then the hold row (then passResolution's own order).
import type { Executor } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { HOUR } from '../lib/clock.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { lockOtherHolders } from '../accounts/lifecycle.ts';
import { maskedUsername, provedContacts } from '../accounts/account-view.ts';
import { findById } from '../accounts/queries.ts';
import { lockClaimOfAccount } from '../identity/claims.ts';
import { identityIndexOf } from '../identity/queries.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { classmateVouchNotice, vouchObjected } from '../notifications/templates/index.ts';
import { passResolution } from './passing.ts';
import * as q from './hold-queries.ts';

export const DEFAULT_NOTICE_MS = 72 * HOUR;

/**
 * Enough classmates confirmed: the case waits its notice period (in the caller's transaction,
 * which holds the claim and the claimant). Each other live holder hears of it now.
 */
export async function startNoticePeriod(tx: Executor, deps: AccountDeps, claimantId: string, index: Buffer, noticeMs: number): Promise<void> {
  if (await q.openHoldOf(tx, claimantId)) return;
  const now = deps.clock.now();
  const takesEffectAt = new Date(now.getTime() + noticeMs);
  const holdId = await q.insertHold(tx, { index, claimantId, at: now, takesEffectAt });
  const holders = await lockOtherHolders(tx, index, claimantId);
  for (const holder of holders) {
    await notifyContacts(
      tx,
      deps.outbox,
      provedContacts(holder),
      classmateVouchNotice(maskedUsername(holder), takesEffectAt, `${deps.publicUrl}/account/objection`),
    );
  }
  await recordAudit(tx, {
    action: 'resolution.notice_started',
    actor: { kind: 'system' },
    accountId: claimantId,
    detail: { holdId, holders: holders.length, takesEffectAt: takesEffectAt.toISOString() },
    at: now,
  });
}

/** The claimant's case in its notice period or with staff, for its page. */
export async function openCaseOf(deps: Pick<AccountDeps, 'db'>, claimantId: string) {
  const hold = await q.openHoldOf(deps.db, claimantId);
  return hold && { state: hold.state as 'waiting' | 'objected', takesEffectAt: hold.takes_effect_at };
}

/** Confirmations before this moment no longer count (staff turned a case built on them down). */
export function vouchesCountFrom(deps: Pick<AccountDeps, 'db'>, claimantId: string): Promise<Date | undefined> {
  return q.lastRejectedAt(deps.db, claimantId);
}

/** What a holder signed in sees: the cases waiting to deregister their account. */
export async function casesAgainst(deps: Pick<AccountDeps, 'db'>, accountId: string) {
  const identity = await identityIndexOf(deps.db, accountId);
  if (!identity) return [];
  const holds = await q.openHoldsOnNumber(deps.db, Buffer.from(identity.id_index));
  return holds.filter((h) => h.claimant_account_id !== accountId).map((h) => ({ id: h.id, state: h.state, takesEffectAt: h.takes_effect_at }));
}

/** A holder objects: the case stops and goes to staff; the claimant is told. */
export async function object(deps: AccountDeps, holderId: string, holdId: string, text: string, ip: string): Promise<void> {
  const cases = await casesAgainst(deps, holderId);
  const target = cases.find((c) => c.id === holdId);
  if (!target) throw new AppError('objection.not_found', { status: 404 });
  await deps.db.transaction().execute(async (tx) => {
    const claimantId = await q.claimantOfHold(tx, holdId);
    if (claimantId) await lockClaimOfAccount(tx, claimantId);
    const hold = await lockedHold(tx, holdId);
    if (hold.state !== 'waiting') throw new AppError('objection.already', { status: 409 });
    const now = deps.clock.now();
    await q.recordObjection(tx, holdId, holderId, text, now);
    await recordAudit(tx, { action: 'resolution.objected', actor: { kind: 'account', id: holderId }, accountId: holderId, ip, detail: { holdId }, at: now });
    const claimant = await findById(tx, hold.claimant_account_id);
    if (claimant) await notifyContacts(tx, deps.outbox, provedContacts(claimant), vouchObjected);
  });
  deps.outbox.nudge();
}

/** Passes every case whose notice period ended without an objection. Answers how many passed. */
export async function passDueCases(deps: AccountDeps, limit = 50): Promise<number> {
  let passed = 0;
  for (const due of await q.dueHolds(deps.db, deps.clock.now(), limit)) {
    const done = await deps.db.transaction().execute(async (tx) => {
      await lockClaimOfAccount(tx, due.claimant_account_id);
      const hold = await q.lockHold(tx, due.id);
      if (!hold || hold.state !== 'waiting' || hold.takes_effect_at.getTime() > deps.clock.now().getTime()) return false;
      return settle(tx, deps, hold, 'passed', { kind: 'system' });
    });
    if (done) passed++;
  }
  if (passed) deps.outbox.nudge();
  return passed;
}

/** Passes the resolution for a hold, or cancels it when the claimant no longer needs it. */
export async function settle(
  tx: Executor,
  deps: AccountDeps,
  hold: q.Hold,
  state: 'passed' | 'upheld',
  actor: { kind: 'system' | 'staff'; id?: string; ip?: string | null },
) {
  const now = deps.clock.now();
  try {
    await passResolution(tx, deps, hold.claimant_account_id, 'classmate', actor);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'resolution.not_needed') throw error;
    await q.setHoldState(tx, hold.id, 'cancelled', now);
    return false;
  }
  await q.setHoldState(tx, hold.id, state, now, actor.id);
  return true;
}

export async function lockedHold(tx: Executor, id: string): Promise<q.Hold> {
  const hold = await q.lockHold(tx, id);
  if (!hold) throw new AppError('objection.not_found', { status: 404 });
  return hold;
}
