// Every change of an account's state happens here, and nowhere else.
//
//   pending_activation ──activate──▶ active ──becomeClaimant──▶ needs_verification
//          │                          ▲  │                              │
//          │                          │  └──────────settleClaimant◀─────┘ (a path passed, or the
//          │                          │                                   other holders are gone)
//          │                 restore  │ suspend (remembers the state it left: state_before_suspension)
//          │                          ▼
//          │                       suspended ◀── (from any live state)
//          │
//          └──voidLapsedRegistration──▶ deregistered ◀──deregister── (from any live state;
//                                           │                   remembers it: state_before_deregistration)
//                                           └──reinstate──▶ the state it left (support reversed a
//                                                           wrongful deregistration)
//   active ──reopenClaim──▶ needs_verification (the resolution that made it owner was reversed)
//
// `deregistered` signs in nowhere and holds no phone or email; the row, its identity and its
// audit trail stay for staff. Only support reversing a wrongful deregistration brings one back,
// with the contacts it released where nobody took them since. A suspended claimant that is
// settled stays suspended and comes back `active` when restored.
//
// Ending an account (suspension or deregistration) ends everything it holds, in this order:
// sessions here, then platforms are told (webhook and back-channel logout, which need the consents
// that name them), then its single sign-on grants, provider sessions and consents, then an
// account event is recorded. Deregistration also tells the person first and releases its contacts.
//
// Lock order, kept by every caller: the ID-number claim (identity/claims.ts) first, then the
// account acting (the claimant), then other holders of the number in id order, then rows that
// hang off them (reviews, identities). Everything here runs in the caller's transaction, on rows
// the caller has locked with lockAccount or lockOtherHolders.
import type { Executor } from '../db/client.ts';
import type { AccountState } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AuditEvent } from '../audit/audit.ts';
import type { Outbox } from '../notifications/outbox.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import type { NoticeText } from '../notifications/templates/index.ts';
import { revokeOtherSessions, type SessionDeps } from '../sessions/service.ts';
import { revokeAllSso } from '../sso/consents.ts';
import { notifyPlatforms, type PlatformEventType } from '../sso/platform-events.ts';
import { provedContacts } from './account-view.ts';
import * as q from './lifecycle-queries.ts';

export { lockAccount, lockOtherHolders, type LockedAccount } from './lifecycle-queries.ts';

export interface LifecycleDeps {
  clock: Clock;
  outbox: Outbox;
  sessions: SessionDeps;
}

export type Actor = AuditEvent['actor'] & { ip?: string | null | undefined };

const auditActor = (actor: Actor) => ({ kind: actor.kind, id: actor.id ?? null });

/** Activation by the emailed link: pending → active with the password typed there. False when it was not pending. */
export async function activate(tx: Executor, accountId: string, passwordHash: string, at: Date): Promise<boolean> {
  return q.activate(tx, accountId, passwordHash, at);
}

/** 我要重新注册: an active account that claimed a number someone else holds must now prove who it is. */
export async function becomeClaimant(tx: Executor, accountId: string, at: Date): Promise<void> {
  await q.moveState(tx, accountId, 'active', 'needs_verification', at);
}

/**
 * The claimant owns its number now (a path passed, or support settled the other holder): it is
 * active again. One suspended meanwhile stays suspended and returns active when restored.
 */
export async function settleClaimant(tx: Executor, account: q.LockedAccount, at: Date): Promise<void> {
  if (account.state === 'suspended') await q.setSuspension(tx, account.id, 'suspended', 'active', at);
  else await q.moveState(tx, account.id, 'needs_verification', 'active', at);
}

/** True for a claimant, also one support suspended while it was waiting. */
export function isClaimant(account: Pick<q.LockedAccount, 'state' | 'state_before_suspension'>): boolean {
  return account.state === 'needs_verification' || (account.state === 'suspended' && account.state_before_suspension === 'needs_verification');
}

/**
 * What an ending account holds, ended in the order the header gives. `event` is what platforms
 * hear (none when only the sign-ins end). Returns how many sessions and SSO records ended.
 */
export async function endHoldings(
  tx: Executor,
  deps: LifecycleDeps,
  accountId: string,
  event: PlatformEventType | undefined,
  data: Record<string, unknown> = {},
): Promise<{ sessions: number; ssoRevoked: number }> {
  const sessions = Number(await revokeOtherSessions(tx, deps.sessions, accountId, null));
  if (event) await notifyPlatforms(tx, deps.outbox, accountId, event, deps.clock.now(), data);
  const ssoRevoked = await revokeAllSso(tx, accountId);
  return { sessions, ssoRevoked };
}

/** Suspension (support): no sign-in, every session and platform grant ended, platforms told; restorable. */
export async function suspend(tx: Executor, deps: LifecycleDeps, account: q.LockedAccount, actor: Actor, reason: string): Promise<void> {
  assertLive(account);
  if (account.state === 'suspended') throw new AppError('console.nothing_changed', { status: 409 });
  const now = deps.clock.now();
  await q.setSuspension(tx, account.id, 'suspended', account.state, now);
  const ended = await endHoldings(tx, deps, account.id, 'account.suspended');
  await q.insertAccountEvent(tx, account.id, 'account.suspended', {}, now);
  await recordAudit(tx, {
    action: 'account.suspended',
    actor: auditActor(actor),
    accountId: account.id,
    ip: actor.ip ?? null,
    detail: { reason, ...ended },
    at: now,
  });
}

/** Back to the state it was suspended from. */
export async function restore(tx: Executor, deps: LifecycleDeps, account: q.LockedAccount, actor: Actor, reason: string): Promise<AccountState> {
  assertLive(account);
  if (account.state !== 'suspended') throw new AppError('console.nothing_changed', { status: 409 });
  const now = deps.clock.now();
  const before = account.state_before_suspension;
  const state = before === 'needs_verification' || before === 'pending_activation' ? before : 'active';
  await q.setSuspension(tx, account.id, state, null, now);
  await notifyPlatforms(tx, deps.outbox, account.id, 'account.restored', now);
  await q.insertAccountEvent(tx, account.id, 'account.restored', {}, now);
  await recordAudit(tx, {
    action: 'account.restored',
    actor: auditActor(actor),
    accountId: account.id,
    ip: actor.ip ?? null,
    detail: { reason, state },
    at: now,
  });
  return state;
}

/**
 * Why an account was deregistered (enterprise_code_confirmed: another account was confirmed as
 * that enterprise's; self_requested: the person's own 注销帐号 after its cooling-off, leaving/).
 */
export type DeregistrationReason = 'duplicate_id_resolved' | 'wrong_id_number' | 'enterprise_code_confirmed' | 'self_requested';

/**
 * 注销: the person is told, everything the account holds ends, its phone and email leave it (the
 * phone may be registered again; the address keeps its record of use unless `releaseEmailUse`,
 * for the person who starts over with the right ID number), and it is deregistered for good.
 */
export async function deregister(
  tx: Executor,
  deps: LifecycleDeps,
  account: q.LockedAccount,
  options: { reason: DeregistrationReason; detail: Record<string, unknown>; actor: Actor; notice: NoticeText; releaseEmailUse?: boolean },
): Promise<void> {
  const now = deps.clock.now();
  await notifyContacts(tx, deps.outbox, provedContacts(account), options.notice);
  const ended = await endHoldings(tx, deps, account.id, 'account.deregistered', { reason: options.reason });
  if (account.phone) await q.releaseContact(tx, account.id, 'phone', account.phone, account.phone_verified_at, now);
  if (account.email) {
    await q.releaseContact(tx, account.id, 'email', account.email, account.email_verified_at, now);
    if (options.releaseEmailUse) await q.forgetEmailUse(tx, account.id, account.email);
  }
  await q.deregister(tx, account.id, account.state, now);
  await q.insertAccountEvent(tx, account.id, 'account.deregistered', { reason: options.reason, ...options.detail }, now);
  await recordAudit(tx, {
    action: 'account.deregistered',
    actor: auditActor(options.actor),
    accountId: account.id,
    ip: options.actor.ip ?? null,
    detail: { reason: options.reason, ...options.detail, ssoRevoked: ended.ssoRevoked },
    at: now,
  });
}

/**
 * Support reversed a wrongful deregistration: the account returns to the state it left, with each
 * phone or address it released that nobody took since (proved as it was), and the platforms that
 * knew it hear it is back. Answers what it got back.
 */
export async function reinstate(
  tx: Executor,
  deps: LifecycleDeps,
  account: q.LockedAccount,
  actor: Actor,
  reason: string,
  /** 'needs_verification' when it comes back as a claimant rather than the owner it was. */
  asState?: 'needs_verification',
): Promise<{ state: AccountState; phone: boolean; email: boolean }> {
  // Past its retention the account's identity and contacts are erased (leaving/erasure.ts): there is nothing to bring back.
  if (account.state !== 'deregistered' || !account.state_before_deregistration || account.personal_data_erased_at)
    throw new AppError('console.nothing_changed', { status: 409 });
  const now = deps.clock.now();
  const back: { phone?: { value: string; verifiedAt: Date | null }; email?: { value: string; verifiedAt: Date | null } } = {};
  for (const released of await q.unrestoredContacts(tx, account.id)) {
    if (back[released.channel] || (await q.contactTaken(tx, released.channel, released.value, account.id))) continue;
    back[released.channel] = { value: released.value, verifiedAt: released.verified_at };
  }
  const state = asState ?? account.state_before_deregistration;
  if (!(await q.reinstate(tx, account.id, state, back, now))) throw new AppError('console.nothing_changed', { status: 409 });
  await notifyPlatforms(tx, deps.outbox, account.id, 'account.restored', now);
  await q.insertAccountEvent(tx, account.id, 'account.restored', { reinstated: true }, now);
  const restored = { state, phone: back.phone !== undefined, email: back.email !== undefined };
  await recordAudit(tx, {
    action: 'account.reinstated',
    actor: auditActor(actor),
    accountId: account.id,
    ip: actor.ip ?? null,
    detail: { reason, ...restored },
    at: now,
  });
  return restored;
}

/**
 * The resolution that made this account the number's owner was reversed: it is a claimant again
 * (a suspended one comes back a claimant when restored), its platforms hear that the identity no
 * longer stands, and everything it signed in to ends. Its real-name binding, which the resolution
 * gave it, is undone.
 */
export async function reopenClaim(tx: Executor, deps: LifecycleDeps, account: q.LockedAccount, boundSince: Date): Promise<void> {
  const now = deps.clock.now();
  if (account.state === 'active') await q.moveState(tx, account.id, 'active', 'needs_verification', now);
  else if (account.state === 'suspended' && account.state_before_suspension === 'active')
    await q.setSuspension(tx, account.id, 'suspended', 'needs_verification', now);
  if (account.realname_bound_at && account.realname_bound_at.getTime() >= boundSince.getTime()) await q.unbindRealName(tx, account.id, now);
  await endHoldings(tx, deps, account.id, 'identity.revoked');
  await q.insertAccountEvent(tx, account.id, 'identity.revoked', {}, now);
}

/**
 * A sign-up never activated in time gives up what it held: it is void, its address may register
 * again. False when it was activated meanwhile (the row lock waited for that) and keeps everything.
 */
export async function voidLapsedRegistration(tx: Executor, accountId: string, at: Date): Promise<boolean> {
  if (!(await q.voidPending(tx, accountId, at))) return false;
  await q.forgetEmailUse(tx, accountId);
  return true;
}

/**
 * A deregistered account whose retention period is over loses what is personal in its own row:
 * the password hash, the contacts it released, its record of used addresses. The row, its state
 * and its account events stay (what happened, not who it was). False when there was nothing to do.
 */
export async function erasePersonalData(tx: Executor, accountId: string, at: Date): Promise<boolean> {
  return q.eraseDeregistered(tx, accountId, at);
}

/** What platforms may learn of later (account_events): verified, suspended, restored, deregistered. */
export async function recordAccountEvent(
  tx: Executor,
  accountId: string,
  type: 'identity.verified',
  payload: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await q.insertAccountEvent(tx, accountId, type, payload, at);
}

/** Staff act only on accounts that still exist for people. */
export function assertLive(account: q.LockedAccount | undefined): asserts account is q.LockedAccount {
  if (!account) throw new AppError('console.not_found', { status: 404 });
  if (account.state === 'deregistered') throw new AppError('console.account_deregistered', { status: 409 });
}
