// Support requests (客服工单): a person asks customer service in writing; staff with the support
// role answer from the console.
//
// Who files:
//   - a signed-in person: category, text, an optional image; the request is their account's, they
//     follow it in 帐号管理 → 客服工单 and are told of replies on their proved contacts;
//   - someone who cannot sign in: the same plus a contact (mainland mobile or email) and the
//     captcha; they get a reference number, and replies (their text) go to that contact.
//
// States of a request (claims are apart from them, as in the other queues: 30 minutes a claim):
//
//   open ──staff reply──▶ answered ──person replies──▶ open
//     │                      │
//     └──close (either)──────┴──▶ closed ──person replies──▶ open (reopened)
//
// "open" means the person waits for staff, since `waiting_since` (the queue's order, oldest
// first); a person's reply to an answered or closed request puts it back in the queue with a new
// waiting_since, keeping its claim so the same staff member picks it up. Each change is one
// transaction: the request row locked, the message written, the notice queued, the audit row.
import { createHash, randomBytes } from 'node:crypto';
import { randomToken } from '../lib/crypto.ts';
import { DAY } from '../lib/clock.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { claimLapsed, CLAIM_TTL_MS, type QueueWorker } from '../lib/work-claims.ts';
import { sealBytes, openBytes } from '../lib/field-crypto.ts';
import { cleanImage, ImageRejected } from '../lib/images.ts';
import { recordAudit } from '../audit/audit.ts';
import { requireCaptcha, type CaptchaAnswer } from '../captcha/service.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { findById } from '../accounts/queries.ts';
import { provedContacts } from '../accounts/account-view.ts';
import { isEmail, isMainlandMobile, normalizeEmail, normalizePhone } from '../accounts/rules.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { UploadedFile } from '../http/uploads.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { Message } from '../i18n/index.ts';
import { replyMessages } from './messages.ts';
import { sendReplyNotice } from './inbox-notice.ts';
import type { Inbox } from '../inbox/service.ts';
import * as q from './queries.ts';

export const SUPPORT_CATEGORIES = ['sign_in', 'identity', 'contacts', 'platform', 'other'] as const;
export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number];
export const isSupportCategory = (value: unknown): value is SupportCategory => (SUPPORT_CATEGORIES as readonly unknown[]).includes(value);

export const MAX_TEXT_CHARS = 2000;
/** The same bound as the ID photos (图片大小不超过300K). */
export const MAX_IMAGE_BYTES = 300 * 1024;

const imageAad = (requestId: string, messageId: string) => `support:${requestId}:${messageId}`;

/** Text as typed: control characters out (line breaks kept), trimmed, not empty, not too long. */
export function checkText(value: unknown, field = 'text'): string {
  if (typeof value !== 'string') throw new ValidationError({ [field]: { code: 'support.text_required' } });
  // eslint-disable-next-line no-control-regex
  const text = value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ')
    .trim();
  if (!text) throw new ValidationError({ [field]: { code: 'support.text_required' } });
  if ([...text].length > MAX_TEXT_CHARS) throw new ValidationError({ [field]: { code: 'support.text_too_long', params: { max: MAX_TEXT_CHARS } } });
  return text;
}

/** A contact typed by someone who cannot sign in: a mainland mobile number or an email address. */
export function checkContact(value: unknown): { channel: 'phone' | 'email'; value: string } {
  const raw = typeof value === 'string' ? value.trim() : '';
  if (!raw) throw new ValidationError({ contact: { code: 'support.contact_required' } });
  if (raw.includes('@')) {
    const email = normalizeEmail(raw);
    if (!isEmail(email)) throw new ValidationError({ contact: { code: 'support.contact_invalid' } });
    return { channel: 'email', value: email };
  }
  const phone = normalizePhone(raw);
  if (!isMainlandMobile(phone)) throw new ValidationError({ contact: { code: 'support.contact_invalid' } });
  return { channel: 'phone', value: phone };
}

function checkImage(image: UploadedFile | undefined): ReturnType<typeof cleanImage> | undefined {
  if (!image || image.data.length === 0) return undefined;
  if (image.truncated || image.data.length > MAX_IMAGE_BYTES) throw new ValidationError({ image: { code: 'photo.too_large', params: { max: 300 } } });
  try {
    return cleanImage(image.data);
  } catch (error) {
    if (!(error instanceof ImageRejected)) throw error;
    throw new ValidationError({ image: { code: error.code } });
  }
}

/** A reference a person can read out on the phone: GD + 10 characters without 0/O or 1/I. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export function newReference(): string {
  return `GD${[...randomBytes(10)].map((b) => ALPHABET[b % 32]).join('')}`;
}
export const isReference = (value: string) => /^GD[2-9A-HJ-NP-Z]{10}$/.test(value);

export interface FileInput {
  accountId: string | undefined;
  category: unknown;
  text: unknown;
  image: UploadedFile | undefined;
  source: 'form' | 'assistant';
  /** Without an account: where replies go, and the captcha. */
  contact?: unknown;
  captcha?: CaptchaAnswer | undefined;
}

export async function fileRequest(deps: AccountDeps, input: FileInput, meta: RequestMeta): Promise<{ reference: string }> {
  // Every field's problem at once; the captcha (spent when tried) only once the fields are right.
  const fields: Record<string, Message> = {};
  const attempt = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(fields, error.fields);
      return undefined;
    }
  };
  if (!isSupportCategory(input.category)) fields.category = { code: 'support.category_required' };
  const text = attempt(() => checkText(input.text));
  const contact = input.accountId ? undefined : attempt(() => checkContact(input.contact));
  const image = attempt(() => checkImage(input.image));
  if (Object.keys(fields).length) throw new ValidationError(fields);
  if (!input.accountId) await requireCaptcha(deps.captcha, input.captcha ?? {}, 'support', meta.ip);
  // A signed-in person is limited as an account: a campus network's shared address must not hold
  // a whole dormitory to ten requests an hour. The narrower keys come first, so a refusal there
  // spends nothing of the address's allowance.
  if (input.accountId) await deps.limits.consume('supportMessagesPerAccount', input.accountId);
  if (contact) {
    await deps.limits.consume('supportRequestsPerContact', `${contact.channel}:${contact.value}`);
    await deps.limits.consume('supportRequestsPerIp', meta.ip);
  }

  const now = deps.clock.now();
  for (let attemptNo = 0; ; attemptNo++) {
    const reference = newReference();
    try {
      await deps.db.transaction().execute(async (tx) => {
        const requestId = await q.insertRequest(tx, {
          reference,
          accountId: input.accountId ?? null,
          contactChannel: contact?.channel ?? null,
          contact: contact?.value ?? null,
          category: input.category as SupportCategory,
          source: input.source,
          now,
        });
        await writeMessage(deps, tx, requestId, { author: 'person', staffUsername: null, body: text!, image, now });
        await recordAudit(tx, {
          action: input.accountId ? 'support.filed' : 'support.filed_anonymously',
          actor: input.accountId ? { kind: 'account', id: input.accountId } : { kind: 'anonymous', id: null },
          accountId: input.accountId ?? null,
          ip: meta.ip,
          detail: { reference, category: input.category as string, source: input.source, ...(image ? { image: image.mediaType } : {}) },
          at: now,
        });
      });
      return { reference };
    } catch (error) {
      // Ten random characters meeting an earlier reference: draw another.
      if (isUniqueViolation(error) && attemptNo < 3) continue;
      throw error;
    }
  }
}

async function writeMessage(
  deps: AccountDeps,
  tx: Parameters<typeof q.insertMessage>[0],
  requestId: string,
  m: { author: 'person' | 'staff'; staffUsername: string | null; body: string; image?: ReturnType<typeof cleanImage> | undefined; now: Date },
): Promise<string> {
  const messageId = await q.insertMessage(tx, { requestId, author: m.author, staffUsername: m.staffUsername, body: m.body, now: m.now });
  if (m.image) {
    // Sealed under the message's own id, so a cipher copied to another row does not open.
    const sealed = sealBytes(deps.identity.keys, m.image.data, imageAad(requestId, messageId));
    await q.attachImage(tx, messageId, { type: m.image.mediaType, keyId: sealed.keyId, cipher: sealed.data });
  }
  return messageId;
}

// ---- the person's side

export async function requestsOf(deps: AccountDeps, accountId: string) {
  const rows = await q.requestsOfAccount(deps.db, accountId);
  const first = await q.firstMessages(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...summary(r), question: first.get(r.id) ?? '' }));
}

function summary(r: NonNullable<Awaited<ReturnType<typeof q.requestById>>>) {
  return {
    id: r.id,
    reference: r.reference,
    category: r.category as SupportCategory,
    state: r.state,
    anonymous: r.account_id === null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    waitingSince: r.waiting_since,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
  };
}

async function history(deps: AccountDeps, requestId: string) {
  return (await q.messagesOf(deps.db, requestId)).map((m) => ({
    id: m.id,
    author: m.author,
    staff: m.staff_username,
    body: m.body,
    hasImage: m.image_type !== null,
    at: m.created_at,
  }));
}

/** How long the link in an answer to an anonymous requester keeps working. */
export const FOLLOW_LINK_MS = 30 * DAY;
const followTokenHash = (token: string) => createHash('sha256').update(`support-follow\0${token}`).digest();

/**
 * The request an answer's link opens (someone who filed without signing in reads the history
 * there, as a signed-in person does in their account); undefined for an unknown or expired link.
 */
export async function requestByFollowLink(deps: AccountDeps, token: string, meta: RequestMeta) {
  await deps.limits.consume('supportFollowsPerIp', meta.ip);
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) return undefined;
  const r = await q.requestByFollowToken(deps.db, followTokenHash(token), deps.clock.now());
  return r && { ...summary(r), messages: await history(deps, r.id) };
}

export async function requestOf(deps: AccountDeps, accountId: string, reference: string) {
  const r = isReference(reference) ? await q.requestOfAccount(deps.db, accountId, reference) : undefined;
  if (!r) throw new AppError('support.not_found', { status: 404 });
  return { ...summary(r), messages: await history(deps, r.id) };
}

/** The person adds to their request (reopening it when answered or closed). */
export async function personReply(deps: AccountDeps, accountId: string, reference: string, input: { text: unknown; image?: UploadedFile }, meta: RequestMeta) {
  const fields: Record<string, Message> = {};
  let text: string | undefined;
  let image: ReturnType<typeof cleanImage> | undefined;
  try {
    text = checkText(input.text);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(fields, error.fields);
  }
  try {
    image = checkImage(input.image);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(fields, error.fields);
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const found = isReference(reference) ? await q.requestOfAccount(deps.db, accountId, reference) : undefined;
  if (!found) throw new AppError('support.not_found', { status: 404 });
  await deps.limits.consume('supportMessagesPerAccount', accountId);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const r = await q.lockRequest(tx, found.id);
    if (!r) throw new AppError('support.not_found', { status: 404 });
    await writeMessage(deps, tx, r.id, { author: 'person', staffUsername: null, body: text!, image, now });
    // Still waiting: the wait began with the first unanswered message, not this one.
    await q.setState(tx, r.id, { state: 'open', now, ...(r.state === 'open' ? {} : { waitingSince: now }) });
    await recordAudit(tx, {
      action: 'support.person_replied',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { reference, reopened: r.state !== 'open' },
      at: now,
    });
  });
}

export async function personClose(deps: AccountDeps, accountId: string, reference: string, meta: RequestMeta) {
  const found = isReference(reference) ? await q.requestOfAccount(deps.db, accountId, reference) : undefined;
  if (!found) throw new AppError('support.not_found', { status: 404 });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const r = await q.lockRequest(tx, found.id);
    if (!r || r.state === 'closed') throw new AppError('support.already_closed', { status: 409 });
    await q.setState(tx, r.id, { state: 'closed', now, closedBy: 'person' });
    await recordAudit(tx, { action: 'support.closed', actor: { kind: 'account', id: accountId }, accountId, ip: meta.ip, detail: { reference }, at: now });
  });
}

// ---- staff's side

/** Requests waiting for staff, the longest-waiting first. */
export async function supportQueue(deps: AccountDeps) {
  const now = deps.clock.now();
  const rows = await q.openRequests(deps.db, 200);
  const first = await q.firstMessages(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...summary(r), question: first.get(r.id) ?? '', claimLapsed: claimLapsed(r.claimed_at, now) }));
}

export async function claimRequest(deps: AccountDeps, id: string, staff: QueueWorker): Promise<void> {
  const now = deps.clock.now();
  const r = await q.requestById(deps.db, id);
  if (!r) throw new AppError('console.not_found', { status: 404 });
  if (!(await q.claim(deps.db, id, staff.username, now, new Date(now.getTime() - CLAIM_TTL_MS)))) throw new AppError('review.not_available', { status: 409 });
  await recordAudit(deps.db, {
    action: 'support.claimed',
    actor: { kind: 'staff', id: staff.username },
    accountId: r.account_id,
    ip: staff.ip,
    detail: { reference: r.reference },
    at: now,
  });
}

/**
 * One request as staff see it: who asked, how to reach them, the history. Any support staff may
 * read any request (a person quotes a reference, or asks after an answered or closed one); only the
 * one holding the claim answers or closes it (`mine`). Every reading is audited.
 */
export async function staffRequest(deps: AccountDeps, id: string, staff: QueueWorker) {
  const r = await q.requestById(deps.db, id);
  if (!r) throw new AppError('console.not_found', { status: 404 });
  const mine = r.claimed_by === staff.username;
  const account = r.account_id ? await findById(deps.db, r.account_id) : undefined;
  await recordAudit(deps.db, {
    action: 'support.viewed',
    actor: { kind: 'staff', id: staff.username },
    accountId: r.account_id,
    ip: staff.ip,
    detail: { reference: r.reference },
    at: deps.clock.now(),
  });
  return {
    ...summary(r),
    mine,
    accountId: r.account_id,
    account: account ? { phone: account.phone, email: account.email, state: account.state } : undefined,
    /** Whether an answer goes out by SMS or email (else only the inbox and the request page show it). */
    reachable: account ? Boolean(provedContacts(account).phone || provedContacts(account).email) : true,
    contact: r.contact ? { channel: r.contact_channel!, value: r.contact } : undefined,
    messages: await history(deps, r.id),
  };
}

/** The request a reference names (as a person quotes it), whatever its state; undefined when none. */
export async function findByReference(deps: AccountDeps, reference: unknown): Promise<string | undefined> {
  const typed = typeof reference === 'string' ? reference.trim().toUpperCase() : '';
  if (!isReference(typed)) return undefined;
  return (await q.requestIdByReference(deps.db, typed))?.id;
}

/** The image of a message, for the staff member holding the request. */
export async function staffImage(deps: AccountDeps, id: string, messageId: string, staff: QueueWorker) {
  const r = await q.requestById(deps.db, id);
  if (!r) throw new AppError('console.not_found', { status: 404 });
  if (r.claimed_by !== staff.username) throw new AppError('review.not_claimed', { status: 403 });
  const image = await q.imageOf(deps.db, id, messageId);
  if (!image?.image_cipher || !image.image_key_id || !image.image_type) throw new AppError('console.not_found', { status: 404 });
  await recordAudit(deps.db, {
    action: 'support.image_viewed',
    actor: { kind: 'staff', id: staff.username },
    accountId: r.account_id,
    ip: staff.ip,
    detail: { reference: r.reference, messageId },
    at: deps.clock.now(),
  });
  return { type: image.image_type, data: openBytes(deps.identity.keys, { keyId: image.image_key_id, data: image.image_cipher }, imageAad(id, messageId)) };
}

/**
 * Staff answer (and, with `close`, close the request in the same step). The person hears of it on
 * their proved contacts, or at the contact they gave when they could not sign in.
 */
export async function staffReply(deps: AccountDeps, inbox: Pick<Inbox, 'send'>, id: string, staff: QueueWorker, input: { text: unknown; close: boolean }) {
  const text = checkText(input.text);
  const now = deps.clock.now();
  const reached = await deps.db.transaction().execute(async (tx) => {
    const r = await q.lockRequest(tx, id);
    if (!r) throw new AppError('console.not_found', { status: 404 });
    if (r.claimed_by !== staff.username) throw new AppError('review.not_claimed', { status: 403 });
    if (r.state === 'closed') throw new AppError('support.already_closed', { status: 409 });
    await writeMessage(deps, tx, r.id, { author: 'staff', staffUsername: staff.username, body: text, now });
    await q.setState(tx, r.id, input.close ? { state: 'closed', now, closedBy: staff.username, claimedAt: now } : { state: 'answered', now, claimedAt: now });
    const account = r.account_id ? await findById(tx, r.account_id) : undefined;
    const to = account
      ? provedContacts(account)
      : { phone: r.contact_channel === 'phone' ? r.contact : null, email: r.contact_channel === 'email' ? r.contact : null };
    // Someone without an account reads the answer by a link (the SMS carries the link, not the
    // answer); each answer's link replaces the one before.
    let followLink: string | undefined;
    if (!account) {
      const token = randomToken(32);
      await q.setFollowToken(tx, r.id, followTokenHash(token), new Date(now.getTime() + FOLLOW_LINK_MS));
      followLink = `${deps.publicUrl}/support/follow/${token}`;
    }
    const messages = replyMessages(to, { reference: r.reference, text, followLink, closed: input.close });
    for (const message of messages) await deps.outbox.enqueue(tx, message);
    if (account) await sendReplyNotice(inbox, tx, account.id, { reference: r.reference, closed: input.close });
    await recordAudit(tx, {
      action: 'support.replied',
      actor: { kind: 'staff', id: staff.username },
      accountId: r.account_id,
      ip: staff.ip,
      detail: { reference: r.reference, closed: input.close },
      at: now,
    });
    return messages.length > 0;
  });
  deps.outbox.nudge();
  return { reached };
}

/** Staff close a request without a further answer (said, or nothing left to do). */
export async function staffClose(deps: AccountDeps, id: string, staff: QueueWorker) {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const r = await q.lockRequest(tx, id);
    if (!r) throw new AppError('console.not_found', { status: 404 });
    if (r.claimed_by !== staff.username) throw new AppError('review.not_claimed', { status: 403 });
    if (r.state === 'closed') throw new AppError('support.already_closed', { status: 409 });
    await q.setState(tx, r.id, { state: 'closed', now, closedBy: staff.username });
    await recordAudit(tx, {
      action: 'support.closed_by_staff',
      actor: { kind: 'staff', id: staff.username },
      accountId: r.account_id,
      ip: staff.ip,
      detail: { reference: r.reference },
      at: now,
    });
  });
}
