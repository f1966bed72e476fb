// The console's side of 途径3's notice period: a holder objected, so the case waits for staff.
// A reviewer claims it (30 minutes theirs alone, as photo reviews), compares the vouches with the
// objection, and either upholds the vouches (the resolution passes now, deregistering the holders)
// or turns them down (the claimant's confirmations so far no longer count; they may try another
// path). Both sides hear of the decision. Locks as notice-period.ts: the claim, then the case.
import { AppError } from '../lib/errors.ts';
import { claimLapsed, CLAIM_TTL_MS, type QueueWorker } from '../lib/work-claims.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { maskedUsername, provedContacts } from '../accounts/account-view.ts';
import { findById } from '../accounts/queries.ts';
import { lockAccount } from '../accounts/lifecycle.ts';
import { lockClaimOfAccount } from '../identity/claims.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { objectionUpheld, vouchRejected } from '../notifications/templates/index.ts';
import { lockedHold, settle } from './notice-period.ts';
import { vouchesFor } from './classmate-path.ts';
import * as q from './hold-queries.ts';

export type Decision = { decision: 'uphold'; note?: string | undefined } | { decision: 'reject'; note: string };

/** Objected cases, oldest objection first. */
export async function objectedCases(deps: Pick<AccountDeps, 'db' | 'clock'>) {
  const now = deps.clock.now();
  return (await q.objectedHolds(deps.db, 200)).map((h) => summarise(h, now));
}

export type ObjectedCase = ReturnType<typeof summarise>;

function summarise(h: Awaited<ReturnType<typeof q.objectedHolds>>[number], now: Date) {
  return {
    id: h.id,
    claimantId: h.claimant_account_id,
    claimant: maskedUsername(h),
    name: h.name ?? '',
    idMasked: h.id_masked ?? '',
    openedAt: h.created_at,
    objectedAt: h.objected_at!,
    objection: h.objection ?? '',
    claimedBy: h.claimed_by,
    claimLapsed: claimLapsed(h.claimed_at, now),
  };
}

/** One objected case as the reviewer holding it sees it: the vouches and who objected. */
export async function objectedCase(deps: AccountDeps, id: string, staff: QueueWorker) {
  const hold = (await q.objectedHolds(deps.db, 1, id))[0];
  if (!hold) throw new AppError('review.not_pending', { status: 404 });
  const now = deps.clock.now();
  if (hold.claimed_by !== staff.username) throw new AppError('review.not_claimed', { status: 403 });
  const objector = hold.objected_by ? await findById(deps.db, hold.objected_by) : undefined;
  // The case shows names, schools and the holder's words: every look is in the audit trail.
  await recordAudit(deps.db, {
    action: 'review.objection_viewed',
    actor: { kind: 'staff', id: staff.username },
    accountId: hold.claimant_account_id,
    ip: staff.ip,
    detail: { holdId: id },
    at: now,
  });
  return { ...summarise(hold, now), objector: objector ? maskedUsername(objector) : '—', vouches: await vouchesFor(deps, hold.claimant_account_id) };
}

export async function claimObjectedCase(deps: AccountDeps, id: string, staff: QueueWorker): Promise<void> {
  const now = deps.clock.now();
  if (!(await q.claimObjection(deps.db, id, staff.username, now, new Date(now.getTime() - CLAIM_TTL_MS))))
    throw new AppError('review.not_available', { status: 409 });
  await recordAudit(deps.db, {
    action: 'review.objection_claimed',
    actor: { kind: 'staff', id: staff.username },
    ip: staff.ip,
    detail: { holdId: id },
    at: now,
  });
}

/** Staff decide an objected case: uphold the vouches (the resolution passes now) or turn them down. */
export async function decideObjectedCase(deps: AccountDeps, id: string, staff: QueueWorker, decision: Decision): Promise<'upheld' | 'rejected' | 'cancelled'> {
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const claimantId = await q.claimantOfHold(tx, id);
    if (!claimantId) throw new AppError('review.not_found', { status: 404 });
    // The claim first, as every resolution locks, then the claimant, then the case.
    await lockClaimOfAccount(tx, claimantId);
    await lockAccount(tx, claimantId);
    const hold = await lockedHold(tx, id);
    if (hold.state !== 'objected') throw new AppError('review.not_pending', { status: 409 });
    // Held by whoever claimed it last: a lapsed claim stays the claimant's until someone else takes it.
    if (hold.claimed_by !== staff.username) throw new AppError('review.not_claimed', { status: 403 });
    const now = deps.clock.now();
    const actor = { kind: 'staff' as const, id: staff.username, ip: staff.ip };
    const note = decision.note ?? '';
    if (decision.decision === 'uphold') {
      // The claimant may have resolved another way meanwhile: then the case is only closed (settle audits it).
      if ((await settle(tx, deps, hold, 'upheld', actor)) === 'cancelled') return 'cancelled' as const;
    } else {
      await q.setHoldState(tx, id, 'rejected', now, staff.username, note);
      const claimant = await findById(tx, hold.claimant_account_id);
      if (claimant) await notifyContacts(tx, deps.outbox, provedContacts(claimant), vouchRejected(note));
      const holder = hold.objected_by ? await findById(tx, hold.objected_by) : undefined;
      if (holder) await notifyContacts(tx, deps.outbox, provedContacts(holder), objectionUpheld);
    }
    await recordAudit(tx, {
      action: decision.decision === 'uphold' ? 'review.objection_overruled' : 'review.objection_sustained',
      actor: { kind: 'staff', id: staff.username },
      accountId: hold.claimant_account_id,
      ip: staff.ip,
      detail: { holdId: id, ...(note ? { note } : {}) },
      at: now,
    });
    return decision.decision === 'uphold' ? ('upheld' as const) : ('rejected' as const);
  });
  deps.outbox.nudge();
  return outcome;
}
