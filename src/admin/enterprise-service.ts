// Support's side of enterprise look-up requests: the queue (oldest first), claiming a request so
// one person answers it, the stamped letter (decrypted only for the claimant; each view audited),
// and the answer: the username sent to the contact the letter gives, a password-reset link to its
// email, or a refusal with the reason. The enterprise account's own address hears of either.
import { AppError } from '../lib/errors.ts';
import { CLAIM_TTL_MS, claimLapsed } from '../resolution/photo-review.ts';
import { openBytes } from '../lib/field-crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { displayUsername } from '../accounts/availability.ts';
import { provedContacts } from '../accounts/contact-notices.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { issueResetLink } from '../recovery/password-recovery.ts';
import { enterpriseRequestAnswered, enterpriseRequestRefused, usernameReminder } from '../notifications/templates/index.ts';
import { letterAad } from '../enterprise/service.ts';
import { accountsByEnterprise } from './account-queries.ts';
import type { StaffActor } from './staff-auth.ts';

export async function pendingEnterpriseRequests(deps: Pick<AccountDeps, 'db' | 'clock'>) {
  const rows = await deps.db
    .selectFrom('enterprise_requests')
    .select(['id', 'enterprise_name', 'credit_code', 'contact_name', 'wants', 'submitted_at', 'claimed_by', 'claimed_at'])
    .where('state', '=', 'pending')
    .orderBy('submitted_at')
    .limit(200)
    .execute();
  const now = deps.clock.now();
  return rows.map((r) => ({ ...r, claimLapsed: claimLapsed(r.claimed_at, now) }));
}

/** Answered requests, newest first, so support can tell an enterprise what became of its letter. */
export async function handledEnterpriseRequests(deps: Pick<AccountDeps, 'db'>, creditCode?: string) {
  let query = deps.db
    .selectFrom('enterprise_requests')
    .select(['id', 'enterprise_name', 'credit_code', 'wants', 'state', 'submitted_at', 'handled_by', 'handled_at', 'outcome'])
    .where('state', '<>', 'pending')
    .orderBy('handled_at', 'desc')
    .limit(50);
  if (creditCode) query = query.where('credit_code', '=', creditCode);
  return query.execute();
}

export async function claimEnterpriseRequest(deps: AccountDeps, id: string, staff: StaffActor): Promise<void> {
  const now = deps.clock.now();
  const claimed = await deps.db
    .updateTable('enterprise_requests')
    .set({ claimed_by: staff.username, claimed_at: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', staff.username), eb('claimed_at', '<', new Date(now.getTime() - CLAIM_TTL_MS))]))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new AppError('console.request_taken', { status: 409 });
  await recordAudit(deps.db, {
    action: 'enterprise.request_claimed',
    actor: { kind: 'staff', id: staff.username },
    ip: staff.ip,
    detail: { requestId: id },
    at: now,
  });
}

async function claimedRequest(db: Executor, id: string, staff: StaffActor, lock = false) {
  let query = db.selectFrom('enterprise_requests').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  const request = await query.executeTakeFirst();
  if (!request) throw new AppError('console.not_found', { status: 404 });
  if (request.state !== 'pending') throw new AppError('console.request_done', { status: 409 });
  if (request.claimed_by !== staff.username) throw new AppError('console.request_not_claimed', { status: 403 });
  return request;
}

/** The request and the enterprise accounts its credit code names (only for the claimant). */
export async function enterpriseRequestDetail(deps: AccountDeps, id: string, staff: StaffActor) {
  const request = await claimedRequest(deps.db, id, staff);
  const { letter_cipher: _c, letter_key_id: _k, ...shown } = request;
  return { request: shown, accounts: await accountsByEnterprise(deps.db, request.credit_code) };
}

export async function enterpriseLetter(deps: AccountDeps, id: string, staff: StaffActor): Promise<{ mediaType: string; data: Buffer }> {
  return deps.db.transaction().execute(async (tx) => {
    const request = await claimedRequest(tx, id, staff);
    await recordAudit(tx, {
      action: 'enterprise.letter_viewed',
      actor: { kind: 'staff', id: staff.username },
      ip: staff.ip,
      detail: { requestId: id },
      at: deps.clock.now(),
    });
    return {
      mediaType: request.letter_media_type,
      data: openBytes(deps.identity.keys, { keyId: request.letter_key_id, data: Buffer.from(request.letter_cipher) }, letterAad(id)),
    };
  });
}

export type EnterpriseAnswer =
  { action: 'send_username'; accountId: string } | { action: 'start_reset'; accountId: string } | { action: 'reject'; reason: string };

export async function answerEnterpriseRequest(deps: AccountDeps, id: string, staff: StaffActor, answer: EnterpriseAnswer, reason: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const request = await claimedRequest(tx, id, staff, true);
    // The applicant's contacts, as written in the letter support checked.
    const applicant = { phone: request.contact_phone, email: request.contact_email };
    if (answer.action === 'reject') {
      await notifyContacts(tx, deps.outbox, applicant, enterpriseRequestRefused(request.enterprise_name, answer.reason));
      await tx
        .updateTable('enterprise_requests')
        .set({ state: 'rejected', handled_by: staff.username, handled_at: now, outcome: answer.reason })
        .where('id', '=', id)
        .execute();
      await recordAudit(tx, {
        action: 'enterprise.request_rejected',
        actor: { kind: 'staff', id: staff.username },
        ip: staff.ip,
        detail: { requestId: id, reason },
        at: now,
      });
      return;
    }
    const account = (await accountsByEnterprise(tx, request.credit_code)).find((a) => a.id === answer.accountId && a.state !== 'deregistered');
    if (!account) throw new AppError('console.enterprise_account_mismatch', { status: 409 });
    const username = displayUsername(account);
    if (answer.action === 'send_username') {
      const message = applicant.phone
        ? usernameReminder('sms', applicant.phone, username, false)
        : usernameReminder('email', applicant.email!, username, false);
      await deps.outbox.enqueue(tx, message);
    } else {
      if (!request.contact_email) throw new AppError('console.enterprise_no_email', { status: 409 });
      await issueResetLink(tx, deps, account.id, { channel: 'email', recipient: request.contact_email });
    }
    // The account's own address hears that support answered a request in its name.
    await notifyContacts(tx, deps.outbox, provedContacts(account), enterpriseRequestAnswered(answer.action, now));
    await tx
      .updateTable('enterprise_requests')
      .set({
        state: answer.action === 'send_username' ? 'username_sent' : 'reset_started',
        handled_by: staff.username,
        handled_at: now,
        account_id: account.id,
        outcome: reason,
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, {
      action: answer.action === 'send_username' ? 'enterprise.username_sent' : 'enterprise.reset_started',
      actor: { kind: 'staff', id: staff.username },
      accountId: account.id,
      ip: staff.ip,
      detail: { requestId: id, reason },
      at: now,
    });
  });
  deps.outbox.nudge();
}
