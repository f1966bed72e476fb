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
import { noticeTime, notifyContacts, provedContacts } from '../accounts/contact-notices.ts';
import * as q from './queries.ts';

export interface PassedResolution {
  deregistered: string[];
}

export async function passResolution(tx: Executor, deps: AccountDeps, claimantId: string, path: ResolutionPath, actor: { kind: 'account' | 'staff' | 'system'; id?: string; ip?: string | null }): Promise<PassedResolution> {
  const now = deps.clock.now();
  const index = await q.lockClaimOfAccount(tx, claimantId);
  const claimant = index && (await q.lockAccount(tx, claimantId));
  if (!index || !claimant || claimant.state !== 'needs_verification') throw new AppError('resolution.not_needed', { status: 409 });
  const others = await q.lockOtherHolders(tx, index, claimantId);
  const when = noticeTime(now);

  for (const other of others) {
    const contacts = provedContacts(other);
    const username = maskedUsername(other);
    await notifyContacts(tx, deps.outbox, contacts, {
      zh: `您的通行帐号 ${username} 所用的证件号码已由本人于 ${when.zh}通过身份核验，该帐号已注销，不能再登录。如有疑问请联系客服。`,
      en: `The ID number used by your Tongxing account ${username} was verified by its holder on ${when.en}; the account has been deregistered and can no longer sign in. Contact support with any questions.`,
      ifNotYou: false,
    });
    await revokeOtherSessions(tx, deps.sessions, other.id, null);
    // Platforms first hear of it (webhook, back-channel logout), then its grants end.
    await notifyPlatforms(tx, deps.outbox, other.id, 'account.deregistered', now, { reason: 'duplicate_id_resolved' });
    const ssoRevoked = await revokeAllSso(tx, other.id);
    if (other.phone) await q.releaseContact(tx, other.id, 'phone', other.phone, now);
    if (other.email) await q.releaseContact(tx, other.id, 'email', other.email, now);
    await q.deregister(tx, other.id, now);
    await q.insertAccountEvent(tx, other.id, 'account.deregistered', { reason: 'duplicate_id_resolved', path }, now);
    await recordAudit(tx, {
      action: 'account.deregistered',
      actor: { kind: actor.kind, id: actor.id ?? null },
      accountId: other.id,
      ip: actor.ip ?? null,
      detail: { reason: 'duplicate_id_resolved', path, claimant: claimantId, ssoRevoked },
      at: now,
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
  await notifyContacts(tx, deps.outbox, provedContacts(claimant), {
    zh: `您的通行帐号已于 ${when.zh}通过身份核验，证件号码重复问题已解决，帐号可以正常使用。`,
    en: `Your Tongxing account passed the identity check on ${when.en}; the duplicate ID number is resolved and the account is ready to use.`,
      ifNotYou: false,
  });
  return { deregistered };
}
