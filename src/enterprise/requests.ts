// Enterprise look-up requests as support works them: the queue (oldest first), claiming a request
// so one person answers it, the stamped letter (decrypted only for the claimant; each view
// audited — an image letter as sent, a PDF only as the page images drawn at upload), and the
// answer: the username sent to the contact the letter gives, a password-reset link to its email,
// confirmation of the account as the enterprise's (confirmation.ts), or a refusal with the reason.
// The enterprise account's own address hears of any answer. A request is pending until answered:
// username_sent, reset_started, confirmed or rejected.
import { AppError } from '../lib/errors.ts';
import { CLAIM_TTL_MS, claimLapsed } from '../lib/work-claims.ts';
import { openBytes } from '../lib/field-crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { issueResetLink } from '../recovery/password-recovery.ts';
import { enterpriseConfirmedForApplicant, enterpriseRequestAnswered, enterpriseRequestRefused, usernameReminder } from '../notifications/templates/index.ts';
import { confirmEnterpriseAccount } from './confirmation.ts';
import { letterAad, letterPageAad } from './service.ts';
import * as q from './queries.ts';
import { displayUsername, provedContacts } from '../accounts/account-view.ts';

/** Who answers: a staff member by username, and where they act from. */
export interface Handler {
  username: string;
  ip: string | null;
}

export async function pendingEnterpriseRequests(deps: Pick<AccountDeps, 'db' | 'clock'>) {
  const rows = await q.pendingRequests(deps.db, 200);
  const now = deps.clock.now();
  return rows.map((r) => ({ ...r, claimLapsed: claimLapsed(r.claimed_at, now) }));
}

/** Answered requests, newest first, so support can tell an enterprise what became of its letter. */
export async function handledEnterpriseRequests(deps: Pick<AccountDeps, 'db'>, creditCode?: string) {
  return q.handledRequests(deps.db, 50, creditCode);
}

export async function claimEnterpriseRequest(deps: AccountDeps, id: string, staff: Handler): Promise<void> {
  const now = deps.clock.now();
  if (!(await q.claimRequest(deps.db, id, staff.username, now, new Date(now.getTime() - CLAIM_TTL_MS))))
    throw new AppError('console.request_taken', { status: 409 });
  await recordAudit(deps.db, {
    action: 'enterprise.request_claimed',
    actor: { kind: 'staff', id: staff.username },
    ip: staff.ip,
    detail: { requestId: id },
    at: now,
  });
}

async function claimedRequest(db: Executor, id: string, staff: Handler, lock = false) {
  const request = await q.findRequest(db, id, lock);
  if (!request) throw new AppError('console.not_found', { status: 404 });
  if (request.state !== 'pending') throw new AppError('console.request_done', { status: 409 });
  if (request.claimed_by !== staff.username) throw new AppError('console.request_not_claimed', { status: 403 });
  return request;
}

/** The request and the enterprise accounts its credit code names (only for the claimant). */
export async function enterpriseRequestDetail(deps: AccountDeps, id: string, staff: Handler) {
  const request = await claimedRequest(deps.db, id, staff);
  const { letter_cipher: _c, letter_key_id: _k, ...shown } = request;
  return {
    request: shown,
    /** How many page images a PDF letter has (none for an image letter, or a PDF sent before they were made). */
    letterPages: request.letter_media_type === 'application/pdf' ? await q.letterPageCount(deps.db, id) : 0,
    accounts: await q.accountsOfCreditCode(deps.db, request.credit_code),
  };
}

const PDF = 'application/pdf';

/** An image letter, as sent. A PDF is never served: staff see its page images (enterpriseLetterPage). */
export async function enterpriseLetter(deps: AccountDeps, id: string, staff: Handler): Promise<{ mediaType: string; data: Buffer }> {
  return deps.db.transaction().execute(async (tx) => {
    const request = await claimedRequest(tx, id, staff);
    if (request.letter_media_type === PDF) throw new AppError('console.not_found', { status: 404 });
    await recordLetterView(tx, deps, id, staff);
    return {
      mediaType: request.letter_media_type,
      data: openBytes(deps.identity.keys, { keyId: request.letter_key_id, data: Buffer.from(request.letter_cipher) }, letterAad(id)),
    };
  });
}

/** One page of a PDF letter as the PNG drawn at upload (numbered from 1); each view audited. */
export async function enterpriseLetterPage(deps: AccountDeps, id: string, pageNumber: number, staff: Handler): Promise<Buffer> {
  return deps.db.transaction().execute(async (tx) => {
    await claimedRequest(tx, id, staff);
    const page = await q.findLetterPage(tx, id, pageNumber);
    if (!page) throw new AppError('console.not_found', { status: 404 });
    await recordLetterView(tx, deps, id, staff, pageNumber);
    return openBytes(deps.identity.keys, { keyId: page.key_id, data: Buffer.from(page.cipher) }, letterPageAad(id, pageNumber));
  });
}

async function recordLetterView(tx: Executor, deps: AccountDeps, id: string, staff: Handler, page?: number): Promise<void> {
  await recordAudit(tx, {
    action: 'enterprise.letter_viewed',
    actor: { kind: 'staff', id: staff.username },
    ip: staff.ip,
    detail: page === undefined ? { requestId: id } : { requestId: id, page },
    at: deps.clock.now(),
  });
}

export type EnterpriseAnswer =
  | { action: 'send_username'; accountId: string }
  | { action: 'start_reset'; accountId: string }
  | { action: 'confirm'; accountId: string }
  | { action: 'reject'; reason: string };

export async function answerEnterpriseRequest(deps: AccountDeps, id: string, staff: Handler, answer: EnterpriseAnswer, reason: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const request = await claimedRequest(tx, id, staff, true);
    // The applicant's contacts, as written in the letter support checked.
    const applicant = { phone: request.contact_phone, email: request.contact_email };
    if (answer.action === 'reject') {
      await notifyContacts(tx, deps.outbox, applicant, enterpriseRequestRefused(request.enterprise_name, answer.reason));
      await q.closeRequest(tx, id, { state: 'rejected', by: staff.username, at: now, outcome: answer.reason });
      await recordAudit(tx, {
        action: 'enterprise.request_rejected',
        actor: { kind: 'staff', id: staff.username },
        ip: staff.ip,
        detail: { requestId: id, reason },
        at: now,
      });
      return;
    }
    // A 确认 request is answered by confirming; a look-up by the username or a reset link.
    if ((answer.action === 'confirm') !== (request.wants === 'confirm')) throw new AppError('console.enterprise_wrong_answer', { status: 409 });
    const account = (await q.accountsOfCreditCode(tx, request.credit_code)).find((a) => a.id === answer.accountId && a.state !== 'deregistered');
    if (!account) throw new AppError('console.enterprise_account_mismatch', { status: 409 });
    const username = displayUsername(account);
    let voided: string[] = [];
    if (answer.action === 'confirm') {
      ({ voided } = await confirmEnterpriseAccount(tx, deps, {
        creditCode: request.credit_code,
        accountId: account.id,
        actor: { kind: 'staff', id: staff.username, ip: staff.ip },
      }));
      await notifyContacts(tx, deps.outbox, applicant, enterpriseConfirmedForApplicant(request.enterprise_name, username));
    } else if (answer.action === 'send_username') {
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
    await q.closeRequest(tx, id, {
      state: answer.action === 'send_username' ? 'username_sent' : answer.action === 'confirm' ? 'confirmed' : 'reset_started',
      by: staff.username,
      at: now,
      accountId: account.id,
      outcome: reason,
    });
    await recordAudit(tx, {
      action:
        answer.action === 'send_username' ? 'enterprise.username_sent' : answer.action === 'confirm' ? 'enterprise.confirmed' : 'enterprise.reset_started',
      actor: { kind: 'staff', id: staff.username },
      accountId: account.id,
      ip: staff.ip,
      detail: { requestId: id, reason, ...(answer.action === 'confirm' ? { voided } : {}) },
      at: now,
    });
  });
  deps.outbox.nudge();
}
