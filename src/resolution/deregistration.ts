// When one verification path passes, in the caller's transaction: the claimant owns the ID number,
// and every other account holding it is deregistered (注销): it cannot sign in, its sessions end,
// its phone and email leave it (the phone may be registered again; the address keeps its record
// of use, as every address does), an event is recorded for platforms and its contacts are told.
// Nothing is deleted: the account row, its identity and its audit trail stay for staff.
// Locks: the claim first (see lockClaimOfAccount), then the claimant, then the other holders in
// id order, so paths passing at once for one number serialise and the later finds nothing to do.
import type { Executor } from '../db/client.ts';
import type { ResolutionPath } from '../db/schema.ts';
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { maskedUsername } from '../accounts/availability.ts';
import { revokeOtherSessions } from '../sessions/service.ts';
import { markRealnameBound } from '../identity/queries.ts';
import { revokeAllSso } from '../sso/consents.ts';
import { notifyPlatforms } from '../sso/platform-events.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { provedContacts } from '../accounts/contact-notices.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { deregisteredByResolution, resolutionPassed, type NoticeText } from '../notifications/templates/index.ts';
import * as q from './queries.ts';

type Holder = Awaited<ReturnType<typeof q.lockOtherHolders>>[number];
type Actor = { kind: 'account' | 'staff' | 'system'; id?: string; ip?: string | null };

/**
 * 注销 one account, in the caller's transaction (its row already locked): its contacts are told,
 * its sessions and single sign-on grants end, platforms hear of it, its phone and email leave it.
 * `releaseEmailUse` also lets the address register again (support's wrong-ID case, where the
 * person behind the account starts over); otherwise the address keeps its record of use.
 */
export async function deregisterAccount(
  tx: Executor,
  deps: AccountDeps,
  account: Holder,
  options: { reason: string; detail: Record<string, unknown>; actor: Actor; notice: NoticeText; releaseEmailUse?: boolean },
): Promise<void> {
  const now = deps.clock.now();
  await notifyContacts(tx, deps.outbox, provedContacts(account), options.notice);
  await revokeOtherSessions(tx, deps.sessions, account.id, null);
  // Platforms first hear of it (webhook, back-channel logout), then its grants end.
  await notifyPlatforms(tx, deps.outbox, account.id, 'account.deregistered', now, { reason: options.reason });
  const ssoRevoked = await revokeAllSso(tx, account.id);
  if (account.phone) await q.releaseContact(tx, account.id, 'phone', account.phone, now);
  if (account.email) {
    await q.releaseContact(tx, account.id, 'email', account.email, now);
    if (options.releaseEmailUse) await tx.deleteFrom('email_usages').where('email', '=', account.email).where('account_id', '=', account.id).execute();
  }
  await q.deregister(tx, account.id, now);
  await q.insertAccountEvent(tx, account.id, 'account.deregistered', { reason: options.reason, ...options.detail }, now);
  await recordAudit(tx, {
    action: 'account.deregistered',
    actor: { kind: options.actor.kind, id: options.actor.id ?? null },
    accountId: account.id,
    ip: options.actor.ip ?? null,
    detail: { reason: options.reason, ...options.detail, ssoRevoked },
    at: now,
  });
}

export interface PassedResolution {
  deregistered: string[];
}

export async function passResolution(tx: Executor, deps: AccountDeps, claimantId: string, path: ResolutionPath, actor: Actor): Promise<PassedResolution> {
  const now = deps.clock.now();
  const index = await q.lockClaimOfAccount(tx, claimantId);
  const claimant = index && (await q.lockAccount(tx, claimantId));
  if (!index || !claimant || claimant.state !== 'needs_verification') throw new AppError('resolution.not_needed', { status: 409 });
  const others = await q.lockOtherHolders(tx, index, claimantId);

  for (const other of others) {
    await deregisterAccount(tx, deps, other, {
      reason: 'duplicate_id_resolved',
      detail: { path, claimant: claimantId },
      actor,
      notice: deregisteredByResolution(maskedUsername(other), now),
    });
  }

  const deregistered = others.map((o) => o.id);
  await q.closePendingReviews(tx, [claimantId, ...deregistered], now);
  await q.makeOwner(tx, index, claimantId, now);
  await q.activateClaimant(tx, claimantId, now);
  // A proved phone binds the real name now, as it does for a first owner.
  if (claimant.phone && claimant.phone_verified_at) await markRealnameBound(tx, claimantId, 'phone', now);
  await q.insertResolution(tx, { index, claimantId, path, deregistered, at: now });
  await q.insertAccountEvent(tx, claimantId, 'identity.verified', { path }, now);
  await notifyPlatforms(tx, deps.outbox, claimantId, 'identity.verified', now, { path });
  await recordAudit(tx, {
    action: 'identity.resolution_passed',
    actor: { kind: actor.kind, id: actor.id ?? null },
    accountId: claimantId,
    ip: actor.ip ?? null,
    detail: { path, deregistered: deregistered.length },
    at: now,
  });
  await notifyContacts(tx, deps.outbox, provedContacts(claimant), resolutionPassed(now));
  return { deregistered };
}
