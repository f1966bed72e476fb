// 注销帐号 asked by the person, after a fresh sign-in. One request per account at a time:
//
//   (none) ──start──▶ cooling_off ──due_at passed (timer: completion.ts)──▶ completed (the account deregistered)
//                          └──撤销注销 (the person, signed in)──▶ cancelled (the account as it was)
//
// Starting ends the account's sessions (the person signs in again to cancel), and nothing else:
// platforms, grants and contacts are untouched until the period ends, so cancelling gives the
// account back whole. The contacts are told at start and at cancel. An account that is
// suspended, or whose ID number someone deregistered over it disputes (support may give the
// number back: queries.ts numberUnderDispute), may not start. Nothing else about the number holds
// anyone up — not another holder's 我要重新注册 or the steps it takes, nor the account's own:
// when the account goes the number is handed on (resolution/number-handover.ts) and a claimant's
// own steps end with it. Each step is one transaction; start takes the locks of
// accounts/lifecycle.ts (the number's claim, then the account).
import type { RequestMeta } from '../http/request-meta.ts';
import { AppError } from '../lib/errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import { recordAudit } from '../audit/audit.ts';
import { lockClaimOfAccount } from '../identity/claims.ts';
import { lockAccount, type LockedAccount } from '../accounts/lifecycle.ts';
import { provedContacts } from '../accounts/account-view.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { revokeOtherSessions } from '../sessions/service.ts';
import type { LeavingDeps } from './deps.ts';
import { deregistrationCancelled, deregistrationRequested } from './notices.ts';
import * as q from './queries.ts';

export interface LeavingOverview {
  /** The request cooling off, when there is one. */
  open: { requestedAt: Date; dueAt: Date } | undefined;
  /** Why the account must wait before it may leave (nothing is changed). */
  blocked: MessageKey | undefined;
  /** Platforms that will be told. */
  platforms: string[];
  /** A claimant (我要重新注册) leaves its claim, not a number it holds alone. */
  claimant: boolean;
  /** Other accounts are registered with the same ID number: it passes to them, it is not freed. */
  othersHoldNumber: boolean;
}

/** Why this account may not leave now, if it may not (`numberDisputed`: queries.ts numberUnderDispute). */
export function whyWait(account: Pick<LockedAccount, 'state'>, numberDisputed: boolean): MessageKey | undefined {
  if (account.state === 'suspended') return 'leaving.blocked_suspended';
  if (account.state !== 'active' && account.state !== 'needs_verification') return 'leaving.blocked_state';
  if (numberDisputed) return 'leaving.blocked_open_case';
  return undefined;
}

/** An enterprise account is closed through support (its letter names who may act for it). */
const kindProblem = (kind: 'person' | 'enterprise'): MessageKey | undefined => (kind === 'enterprise' ? 'leaving.blocked_enterprise' : undefined);

export async function leavingOverview(
  deps: LeavingDeps,
  account: { id: string; state: LockedAccount['state']; kind: 'person' | 'enterprise' },
): Promise<LeavingOverview> {
  const accountId = account.id;
  const [open, numberDisputed, platforms, othersHoldNumber] = await Promise.all([
    q.openRequestOf(deps.db, accountId),
    q.numberUnderDispute(deps.db, accountId),
    q.platformsUsedBy(deps.db, accountId),
    q.othersHoldNumber(deps.db, accountId),
  ]);
  return {
    open: open && { requestedAt: open.requested_at, dueAt: open.due_at },
    blocked: kindProblem(account.kind) ?? whyWait(account, numberDisputed),
    platforms,
    claimant: account.state === 'needs_verification',
    othersHoldNumber,
  };
}

/** Each start (and the cancel it may lead to) sends notices: counted per account so a loop cannot flood the contacts. */
const countStart = (deps: LeavingDeps, accountId: string) => deps.limits.consume('selfDeregistrationStarts', accountId);

/** Starts the cooling-off period; answers when it ends. The caller has checked the fresh sign-in. */
export async function startDeregistration(deps: LeavingDeps, session: { accountId: string; kind: 'person' | 'enterprise' }, meta: RequestMeta): Promise<Date> {
  const accountId = session.accountId;
  const notPerson = kindProblem(session.kind);
  if (notPerson) throw new AppError(notPerson, { status: 409 });
  await countStart(deps, accountId);
  const dueAt = await deps.db.transaction().execute(async (tx) => {
    await lockClaimOfAccount(tx, accountId);
    const account = await lockAccount(tx, accountId);
    if (!account) throw new AppError('leaving.blocked_state', { status: 409 });
    const blocked = whyWait(account, await q.numberUnderDispute(tx, accountId));
    if (blocked) throw new AppError(blocked, { status: 409 });
    const now = deps.clock.now();
    const due = new Date(now.getTime() + deps.leaving.coolingOffMs);
    if (!(await q.insertRequest(tx, { accountId, now, dueAt: due }))) throw new AppError('leaving.already_requested', { status: 409 });
    const ended = Number(await revokeOtherSessions(tx, deps.sessions, accountId, null));
    await recordAudit(tx, {
      action: 'leaving.requested',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { dueAt: due.toISOString(), sessionsEnded: ended },
      at: now,
    });
    await notifyContacts(tx, deps.outbox, provedContacts(account), deregistrationRequested(now, due));
    return due;
  });
  deps.outbox.nudge();
  return dueAt;
}

/** 撤销注销: the cooling-off request ends and the account goes on as before. */
export async function cancelDeregistration(deps: LeavingDeps, accountId: string, meta: RequestMeta): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const account = await lockAccount(tx, accountId);
    const open = await q.openRequestOf(tx, accountId);
    const now = deps.clock.now();
    // Re-checked under the account's lock: the timer may have completed it a moment ago.
    if (!account || !open || !(await q.closeRequest(tx, open.id, 'cancelled', now))) throw new AppError('leaving.nothing_to_cancel', { status: 409 });
    await recordAudit(tx, {
      action: 'leaving.cancelled',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { requestedAt: open.requested_at.toISOString() },
      at: now,
    });
    await notifyContacts(tx, deps.outbox, provedContacts(account), deregistrationCancelled(now));
  });
  deps.outbox.nudge();
}
