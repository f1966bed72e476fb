// 这不是我本人操作: someone whose account a resolution deregistered disputes it. The notice they
// were sent carries a single-use link (dispute-link.ts, 30 days); the form behind it asks what
// happened and how support can reach them, behind a captcha. Each dispute is a case in the
// console's queue:
//
//   pending ──support reverses it (reversal.ts)──▶ reversed
//      └──────support dismisses it, with a note sent to the given contact──▶ dismissed
//
// Opening a dispute changes no account: only support's decision does.
import { AppError, ValidationError } from '../lib/errors.ts';
import { claimLapsed, CLAIM_TTL_MS, type QueueWorker } from '../lib/work-claims.ts';
import { maskContact } from '../lib/mask.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { findById, releasedContactsOf } from '../accounts/queries.ts';
import { maskedUsername } from '../accounts/account-view.ts';
import { isEmail, isMainlandMobile, normalizeEmail, normalizePhone } from '../accounts/rules.ts';
import { requireCaptcha, type CaptchaAnswer } from '../captcha/service.ts';
import { consumeLinkToken } from '../verification/service.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { disputeDismissed } from '../notifications/templates/index.ts';
import type { Message } from '../i18n/index.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { checkDisputeLink, DISPUTE_LINK_TTL_MS, issueDisputeLink } from './dispute-link.ts';
import { readTicket } from '../verification/tickets.ts';
import { DEREGISTERED_SIGN_IN } from '../accounts/signin-service.ts';
import * as q from './dispute-queries.ts';
import { resolutionThatDeregistered } from './queries.ts';

export const WHAT_HAPPENED_MIN = 10;
export const WHAT_HAPPENED_MAX = 1000;

export interface DisputeInput {
  whatHappened: string;
  contact: string;
  captcha: CaptchaAnswer;
}

/** What the link's page shows before the form: whether the link still works, and when the account ended. */
export async function disputeLinkState(
  deps: AccountDeps,
  token: string,
): Promise<{ state: 'valid'; deregisteredAt: Date | undefined } | { state: 'used' | 'expired' | 'unknown' }> {
  const link = await checkDisputeLink(deps.db, deps, token);
  if (link.status !== 'valid') return { state: link.status };
  const resolution = await resolutionThatDeregistered(deps.db, link.accountId);
  return { state: 'valid', deregisteredAt: resolution?.passed_at };
}

/**
 * A fresh 这不是我本人操作 link for someone who just typed the right password of an account a
 * verification deregistered (the sign-in page's ticket proves it): within the 30 days of the
 * notice's link and only once the account has not disputed yet. The notice's own link then stops
 * working (one link per account). Undefined when none may be given.
 */
export async function disputeLinkForSignIn(deps: AccountDeps, ticket: string): Promise<string | undefined> {
  const accountId = readTicket(deps.verification.codeKey, DEREGISTERED_SIGN_IN, ticket, deps.clock.now());
  if (!accountId) return undefined;
  return deps.db.transaction().execute(async (tx) => {
    const account = await findById(tx, accountId);
    const resolution = await resolutionThatDeregistered(tx, accountId);
    if (account?.state !== 'deregistered' || !resolution?.passed_at) return undefined;
    const left = resolution.passed_at.getTime() + DISPUTE_LINK_TTL_MS - deps.clock.now().getTime();
    if (left <= 0) return undefined;
    if (await q.hasDisputed(tx, accountId)) return undefined;
    // Within the notice link's 30 days, not 30 more from now.
    return issueDisputeLink(tx, deps, accountId, left);
  });
}

/** The contact typed on the form: a mainland mobile number or an email address. */
export function parseContact(input: string): { channel: 'phone' | 'email'; value: string } | undefined {
  const phone = normalizePhone(input.trim());
  if (isMainlandMobile(phone)) return { channel: 'phone', value: phone };
  const email = normalizeEmail(input);
  if (isEmail(email)) return { channel: 'email', value: email };
  return undefined;
}

export async function openDispute(deps: AccountDeps, token: string, input: DisputeInput, meta: RequestMeta): Promise<void> {
  const fields: Record<string, Message> = {};
  const whatHappened = input.whatHappened.trim();
  if (whatHappened.length < WHAT_HAPPENED_MIN || whatHappened.length > WHAT_HAPPENED_MAX)
    fields.whatHappened = { code: 'dispute.what_required', params: { min: WHAT_HAPPENED_MIN, max: WHAT_HAPPENED_MAX } };
  const contact = parseContact(input.contact);
  if (!contact) fields.contact = { code: 'dispute.contact_invalid' };
  if (Object.keys(fields).length) throw new ValidationError(fields);
  await requireCaptcha(deps.captcha, input.captcha, 'dispute', meta.ip);
  await deps.limits.consume('disputesPerIp', meta.ip);

  await deps.db.transaction().execute(async (tx) => {
    // The link row is locked: two submissions of one form open one case.
    const link = await checkDisputeLink(tx, deps, token);
    if (link.status !== 'valid') throw new AppError(`dispute.link_${link.status}`, { status: link.status === 'unknown' ? 404 : 410 });
    const account = await findById(tx, link.accountId);
    if (account?.state !== 'deregistered') throw new AppError('dispute.link_used', { status: 410 });
    const resolution = await resolutionThatDeregistered(tx, link.accountId);
    const now = deps.clock.now();
    const disputeId = await q.insertDispute(tx, {
      accountId: link.accountId,
      resolutionId: resolution?.id ?? null,
      whatHappened,
      channel: contact!.channel,
      contact: contact!.value,
      ip: meta.ip,
      at: now,
    });
    await consumeLinkToken(tx, deps.verification, link.id);
    await recordAudit(tx, {
      action: 'dispute.opened',
      actor: { kind: 'anonymous' },
      accountId: link.accountId,
      ip: meta.ip,
      detail: { disputeId, contact: maskContact(contact!.channel, contact!.value) },
      at: now,
    });
  });
}

// ---- staff

export async function pendingDisputes(deps: Pick<AccountDeps, 'db' | 'clock'>) {
  const now = deps.clock.now();
  return (await q.pendingDisputes(deps.db, 200)).map((d) => summarise(d, now));
}

function summarise(d: q.PendingDispute, now: Date) {
  return {
    id: d.id,
    accountId: d.account_id,
    name: d.name ?? '',
    idMasked: d.id_masked ?? '',
    openedAt: d.created_at,
    path: d.path,
    deregisteredAt: d.passed_at,
    claimedBy: d.claimed_by,
    claimLapsed: claimLapsed(d.claimed_at, now),
  };
}

export type DisputeSummary = ReturnType<typeof summarise>;

/** One dispute as the support member holding it sees it. */
export async function disputeCase(deps: AccountDeps, id: string, staff: QueueWorker) {
  const d = (await q.pendingDisputes(deps.db, 1, id))[0];
  if (!d) throw new AppError('review.not_pending', { status: 404 });
  if (d.claimed_by !== staff.username) throw new AppError('review.not_claimed', { status: 403 });
  const claimant = d.claimant_account_id ? await findById(deps.db, d.claimant_account_id) : undefined;
  // The case shows a contact, released contacts and names: every look is in the audit trail.
  await recordAudit(deps.db, {
    action: 'dispute.viewed',
    actor: { kind: 'staff', id: staff.username },
    accountId: d.account_id,
    ip: staff.ip,
    detail: { disputeId: id },
    at: deps.clock.now(),
  });
  return {
    ...summarise(d, deps.clock.now()),
    whatHappened: d.what_happened,
    contact: { channel: d.contact_channel, value: d.contact },
    released: (await releasedContactsOf(deps.db, d.account_id)).map((c) => ({ ...c, masked: maskContact(c.channel, c.value) })),
    claimant: claimant && { username: maskedUsername(claimant), state: claimant.state },
    // Only a deregistration a verification caused, while the account is still deregistered.
    reversible: d.resolution_id !== null && d.account_state === 'deregistered',
  };
}

export async function claimDisputeCase(deps: AccountDeps, id: string, staff: QueueWorker): Promise<void> {
  const now = deps.clock.now();
  if (!(await q.claimDispute(deps.db, id, staff.username, now, new Date(now.getTime() - CLAIM_TTL_MS))))
    throw new AppError('review.not_available', { status: 409 });
  await recordAudit(deps.db, { action: 'dispute.claimed', actor: { kind: 'staff', id: staff.username }, ip: staff.ip, detail: { disputeId: id }, at: now });
}

/** Support finds the deregistration was right: the case closes and the given contact hears why. */
export async function dismissDispute(deps: AccountDeps, id: string, staff: QueueWorker, note: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const dispute = await heldDispute(tx, id, staff);
    const now = deps.clock.now();
    await q.decideDispute(tx, id, 'dismissed', staff.username, note, now);
    await notifyContacts(tx, deps.outbox, givenContact(dispute), disputeDismissed(note));
    await recordAudit(tx, {
      action: 'dispute.dismissed',
      actor: { kind: 'staff', id: staff.username },
      accountId: dispute.account_id,
      ip: staff.ip,
      detail: { disputeId: id, note },
      at: now,
    });
  });
  deps.outbox.nudge();
}

/** The contact the disputer typed, as a notice's recipients. */
export const givenContact = (d: { contact_channel: 'phone' | 'email'; contact: string }) => ({
  phone: d.contact_channel === 'phone' ? d.contact : null,
  email: d.contact_channel === 'email' ? d.contact : null,
});

/** The pending dispute, locked, if `staff` holds it. */
export async function heldDispute(tx: Parameters<typeof q.lockDispute>[0], id: string, staff: QueueWorker) {
  const dispute = await q.lockDispute(tx, id);
  if (!dispute) throw new AppError('review.not_found', { status: 404 });
  if (dispute.state !== 'pending') throw new AppError('review.not_pending', { status: 409 });
  if (dispute.claimed_by !== staff.username) throw new AppError('review.not_claimed', { status: 403 });
  return dispute;
}
