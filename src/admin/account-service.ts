// Support's work on one account: find it, read its card, and act — suspend and restore, end its
// sessions, send its username, reveal one full field, or mark its ID number as wrong (case 3).
// Every action names its reason and is audited with the staff member and the account.
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { parseUsername } from '../accounts/usernames.ts';
import { releasedContactsOf } from '../accounts/queries.ts';
import { normalizeEmail, normalizePhone } from '../accounts/rules.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { indexesOfTyped, revealIdNumber } from '../identity/service.ts';
import { resetLinkSentElsewhere, usernameReminder } from '../notifications/templates/index.ts';
import { issueResetLink } from '../recovery/password-recovery.ts';
import { hmacSha256 } from '../lib/crypto.ts';
import { maskContact } from '../lib/mask.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import { markIdNumberWrong as settleWrongIdNumber } from '../resolution/wrong-number.ts';
import type { Executor } from '../db/client.ts';
import * as q from './account-queries.ts';
import { UUID } from './params.ts';
import type { StaffActor } from './staff-auth.ts';
import { withinRecipientLimit } from '../verification/send-limits.ts';
import { displayUsername, provedContacts } from '../accounts/account-view.ts';

const actorOf = (staff: StaffActor) => ({ kind: 'staff' as const, id: staff.username });
const staffActor = (staff: StaffActor): lifecycle.Actor => ({ ...actorOf(staff), ip: staff.ip });

/** Accounts a typed phone, email, ID number or account id names (deregistered ones included). */
export async function lookUpAccounts(deps: AccountDeps, typed: string, staff: StaffActor): Promise<q.ListedAccount[]> {
  const username = parseUsername(typed);
  let found: q.ListedAccount[] = [];
  if (username.kind === 'phone') found = await q.accountsByContact(deps.db, 'phone', normalizePhone(username.typed));
  else if (username.kind === 'email') found = await q.accountsByContact(deps.db, 'email', normalizeEmail(username.typed));
  else if (UUID.test(username.typed.toLowerCase())) found = await q.accountsById(deps.db, username.typed.toLowerCase());
  // Every document type the number could be, each through its blind index.
  else found = await q.accountsByIdIndexes(deps.db, indexesOfTyped(deps.identity.keys, username.typed, deps.clock.now()));
  // What was searched for stays out of the log (it is personal data); its kind and the result do not.
  await recordAudit(deps.db, {
    action: 'staff.account_lookup',
    actor: actorOf(staff),
    ip: staff.ip,
    detail: { by: username.kind, found: found.length },
    at: deps.clock.now(),
  });
  return found;
}

export const ACCOUNT_PAGE_SIZE = 50;

/** One page of the console's account list (newest first), and where the next page starts. */
export async function accountListPage(deps: AccountDeps, filters: q.AccountFilters, cursor: q.AccountCursor | undefined, staff: StaffActor) {
  const rows = await q.listAccounts(deps.db, filters, cursor, ACCOUNT_PAGE_SIZE);
  const page = rows.slice(0, ACCOUNT_PAGE_SIZE);
  const last = page.at(-1);
  // Which filters were used, not their values beyond the kind (a date or platform is no one's data, but keep it short).
  await recordAudit(deps.db, {
    action: 'staff.account_lookup',
    actor: actorOf(staff),
    ip: staff.ip,
    detail: {
      by: 'list',
      filters: Object.keys(filters).filter((k) => filters[k as keyof q.AccountFilters] !== undefined),
      page: cursor ? 'next' : 'first',
      found: page.length,
    },
    at: deps.clock.now(),
  });
  return { rows: page, next: rows.length > ACCOUNT_PAGE_SIZE && last ? { createdAt: last.created_key, id: last.id } : undefined };
}

export async function accountCard(deps: AccountDeps, accountId: string, staff: StaffActor) {
  const facts = await q.cardFacts(deps.db, accountId);
  if (!facts) throw new AppError('console.not_found', { status: 404 });
  const now = deps.clock.now();
  const [sessions, released, timeline, photoReviews, livenessChecks] = await Promise.all([
    q.liveSessionCount(deps.db, accountId, now),
    releasedContactsOf(deps.db, accountId),
    q.timelineOf(deps.db, accountId),
    q.photoEvidenceOf(deps.db, accountId),
    q.livenessEvidenceOf(deps.db, accountId),
  ]);
  await recordAudit(deps.db, { action: 'staff.account_viewed', actor: actorOf(staff), accountId, ip: staff.ip, at: now });
  return { facts, sessions, released, timeline, evidence: { photoReviews, livenessChecks } };
}

export type AccountCard = Awaited<ReturnType<typeof accountCard>>;

async function lockLive(tx: Executor, accountId: string) {
  const account = await lifecycle.lockAccount(tx, accountId);
  lifecycle.assertLive(account);
  return account;
}

/** Suspension: no sign-in, every session and platform grant ended, platforms told; restorable. */
export async function suspendAccount(deps: AccountDeps, accountId: string, staff: StaffActor, reason: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => lifecycle.suspend(tx, deps, await lockLive(tx, accountId), staffActor(staff), reason));
  deps.outbox.nudge();
}

export async function restoreAccount(deps: AccountDeps, accountId: string, staff: StaffActor, reason: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => lifecycle.restore(tx, deps, await lockLive(tx, accountId), staffActor(staff), reason));
  deps.outbox.nudge();
}

/** Signs the account out everywhere: its sessions here and its sign-ins at platforms. */
export async function endAccountSessions(deps: AccountDeps, accountId: string, staff: StaffActor, reason: string): Promise<number> {
  return deps.db.transaction().execute(async (tx) => {
    await lockLive(tx, accountId);
    const ended = await lifecycle.endHoldings(tx, deps, accountId, undefined);
    await recordAudit(tx, {
      action: 'account.sessions_ended_by_staff',
      actor: actorOf(staff),
      accountId,
      ip: staff.ip,
      detail: { reason, ...ended },
      at: deps.clock.now(),
    });
    return ended.sessions;
  });
}

/** The username, sent to the account's own proved phone (else its proved email); never shown to staff. */
export async function sendUsernameReminder(deps: AccountDeps, accountId: string, staff: StaffActor, reason: string): Promise<'sms' | 'email'> {
  const now = deps.clock.now();
  const channel = await deps.db.transaction().execute(async (tx) => {
    const account = await lockLive(tx, accountId);
    const channel = account.phone && account.phone_verified_at ? 'sms' : account.email && account.email_verified_at ? 'email' : undefined;
    if (!channel) throw new AppError('console.no_proved_contact', { status: 409 });
    const to = channel === 'sms' ? account.phone! : account.email!;
    await deps.outbox.enqueue(tx, usernameReminder(channel, to, displayUsername(account), account.realname_bound_at !== null));
    await recordAudit(tx, { action: 'recovery.username_sent', actor: actorOf(staff), accountId, ip: staff.ip, detail: { channel, reason }, at: now });
    return channel;
  });
  deps.outbox.nudge();
  return channel;
}

export type ResetTarget = { kind: 'phone' } | { kind: 'email' } | { kind: 'other_email'; email: string };

/**
 * 客服协助找回密码: a reset link to the account's own proved phone or email, or — when support
 * has checked the person's evidence and they no longer hold either — to an address they give.
 * The account's proved contacts are told when the link goes elsewhere; a real-name account still
 * answers its name and ID number before the new password is set.
 */
export async function startPasswordReset(deps: AccountDeps, accountId: string, staff: StaffActor, reason: string, target: ResetTarget): Promise<void> {
  // An address from outside counts against its daily limit like any recipient (asked before the
  // transaction: the limiter has its own connection, and PGlite has only one).
  if (target.kind === 'other_email' && !(await withinRecipientLimit(deps, `email:${target.email}`)))
    throw new AppError('console.recipient_limited', { status: 429 });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const account = await lockLive(tx, accountId);
    if (account.state !== 'active' && account.state !== 'needs_verification') throw new AppError('console.reset_not_possible', { status: 409 });
    const to =
      target.kind === 'phone'
        ? account.phone && account.phone_verified_at && { channel: 'sms' as const, recipient: account.phone }
        : target.kind === 'email'
          ? account.email && account.email_verified_at && { channel: 'email' as const, recipient: account.email }
          : { channel: 'email' as const, recipient: target.email };
    if (!to) throw new AppError('console.no_proved_contact', { status: 409 });
    if (target.kind === 'other_email') {
      // Only where the reset itself asks the real name and ID number again: an enterprise goes
      // through its stamped letter, and an account without a real name has nothing to check.
      const held = await q.kindAndIdentity(tx, accountId);
      if (held?.kind !== 'person' || !held.identity) throw new AppError('console.reset_other_needs_identity', { status: 409 });
    }
    await issueResetLink(tx, deps, accountId, to);
    if (target.kind === 'other_email') {
      await notifyContacts(tx, deps.outbox, provedContacts(account), resetLinkSentElsewhere(maskContact('email', target.email), now));
    }
    // Where the link went, traceable without keeping the address itself: masked, and a keyed hash
    // to compare with an address someone names later.
    const recipient =
      target.kind === 'other_email'
        ? {
            sentTo: maskContact('email', target.email),
            sentToHash: hmacSha256(deps.verification.codeKey, `reset-recipient:${target.email}`).toString('hex').slice(0, 32),
          }
        : {};
    await recordAudit(tx, {
      action: 'recovery.reset_started_by_staff',
      actor: actorOf(staff),
      accountId,
      ip: staff.ip,
      detail: { to: target.kind, ...recipient, reason },
      at: now,
    });
  });
  deps.outbox.nudge();
}

export type RevealableField = 'phone' | 'email' | 'id_number';

/** One full value for a stated reason; the reveal is audited before it is shown. */
export async function revealField(
  deps: AccountDeps,
  accountId: string,
  field: RevealableField,
  staff: StaffActor,
  reason: string,
): Promise<string | undefined> {
  if (field === 'id_number') return revealIdNumber(deps.identity, accountId, { ...actorOf(staff), ip: staff.ip }, reason);
  return deps.db.transaction().execute(async (tx) => {
    const account = await q.contactsOf(tx, accountId);
    if (!account) throw new AppError('console.not_found', { status: 404 });
    await recordAudit(tx, { action: 'staff.field_revealed', actor: actorOf(staff), accountId, ip: staff.ip, detail: { field, reason }, at: deps.clock.now() });
    return account[field] ?? undefined;
  });
}

/** Case 3 (resolution/wrong-number.ts): the ID number this account was registered with is not the person's. */
export async function markIdNumberWrong(deps: AccountDeps, accountId: string, staff: StaffActor, reason: string): Promise<void> {
  await deps.db.transaction().execute((tx) => settleWrongIdNumber(tx, deps, accountId, staffActor(staff), reason));
  deps.outbox.nudge();
}
