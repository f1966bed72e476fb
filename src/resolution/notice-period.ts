// 途径3's notice period. A vouch is weaker evidence than the other paths (NIST 800-63A accepts
// vouching only by equally proofed people who know the applicant), so when enough classmates
// have confirmed, nothing is deregistered yet: the current holders of the number are told at
// once through their proved contacts, and the case waits (RESOLUTION_CLASSMATE_NOTICE_HOURS,
// default 72). A holder who signs in and objects sends it to staff; without an objection it
// passes when the period ends.
//
//   waiting ──period over──▶ passed
//      │ ╲──the claimant resolved another way, or may no longer pass without staff──▶ cancelled
//      └──a holder objects (or is suspended and cannot)──▶ objected ──staff──▶ upheld (passes now)
//                                                                            | rejected (the vouches no longer count)
//
// A claimant suspended during the period waits until restored. Locks: the number's claim, the
// claimant, the hold row, the other holders (then passResolution's own order).
import type { Executor } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { HOUR } from '../lib/clock.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { isClaimant, lockAccount, lockOtherHolders } from '../accounts/lifecycle.ts';
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

/**
 * Passes every case whose notice period ended without an objection. A claimant suspended
 * meanwhile waits until restored; a case where a holder is suspended (and so cannot sign in to
 * object) goes to staff instead. Each case is its own transaction: one that fails is reported
 * after the others were tried, never blocking them. Answers how many passed.
 */
export async function passDueCases(deps: AccountDeps, limit = 50): Promise<number> {
  let passed = 0;
  const failures: unknown[] = [];
  for (const due of await q.dueHolds(deps.db, deps.clock.now(), limit)) {
    try {
      const done = await deps.db.transaction().execute(async (tx) => {
        const index = await lockClaimOfAccount(tx, due.claimant_account_id);
        const claimant = await lockAccount(tx, due.claimant_account_id);
        const hold = await q.lockHold(tx, due.id);
        if (!hold || hold.state !== 'waiting' || hold.takes_effect_at.getTime() > deps.clock.now().getTime()) return false;
        if (claimant?.state === 'suspended' && isClaimant(claimant)) return false;
        const holders = index ? await lockOtherHolders(tx, index, due.claimant_account_id) : [];
        if (holders.some((h) => h.state === 'suspended')) {
          await q.sendToStaff(tx, hold.id, HOLDER_SUSPENDED_NOTE, deps.clock.now());
          await recordAudit(tx, {
            action: 'resolution.objected',
            actor: { kind: 'system' },
            accountId: hold.claimant_account_id,
            detail: { holdId: hold.id, reason: 'holder_suspended' },
            at: deps.clock.now(),
          });
          return false;
        }
        return (await settle(tx, deps, hold, 'passed', { kind: 'system' })) === 'passed';
      });
      if (done) passed++;
    } catch (error) {
      failures.push(error);
    }
  }
  if (passed) deps.outbox.nudge();
  if (failures.length) throw new AggregateError(failures, `${failures.length} due classmate case(s) could not be settled`);
  return passed;
}

/** What staff read on a case sent to them because a holder is suspended. */
const HOLDER_SUSPENDED_NOTE = '（系统）现持有人的帐号已停用，无法登录提出异议，转由客服审核。';

/**
 * Passes the resolution for a hold; or, when the claimant no longer needs it or may no longer
 * pass without staff, closes it as cancelled (audited).
 */
export async function settle(
  tx: Executor,
  deps: AccountDeps,
  hold: q.Hold,
  state: 'passed' | 'upheld',
  actor: { kind: 'system' | 'staff'; id?: string; ip?: string | null },
): Promise<'passed' | 'upheld' | 'cancelled'> {
  const now = deps.clock.now();
  try {
    await passResolution(tx, deps, hold.claimant_account_id, 'classmate', actor, hold.id);
  } catch (error) {
    // Both are refused before anything is written, so the transaction goes on.
    if (!(error instanceof AppError) || (error.code !== 'resolution.not_needed' && error.code !== 'resolution.staff_only')) throw error;
    await q.setHoldState(tx, hold.id, 'cancelled', now);
    await recordAudit(tx, {
      action: 'resolution.notice_cancelled',
      actor: { kind: actor.kind, id: actor.id ?? null },
      accountId: hold.claimant_account_id,
      detail: { holds: [hold.id], reason: error.code },
      at: now,
    });
    return 'cancelled';
  }
  await q.setHoldState(tx, hold.id, state, now, actor.id);
  return state;
}

export async function lockedHold(tx: Executor, id: string): Promise<q.Hold> {
  const hold = await q.lockHold(tx, id);
  if (!hold) throw new AppError('objection.not_found', { status: 404 });
  return hold;
}
