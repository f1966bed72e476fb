// 找回密码. Step 1 (username + captcha) always does the same work: it counts the same limits,
// writes a reset request and a code, whether or not the username named an account; only a real
// account's phone gets the code (or its mailbox a link). Step 2 proves the channel: the SMS code
// typed in the same browser, or the emailed link. Step 3 asks the real-name information too when
// the account has it, then sets the password, ends every session and tells the person by their
// other channel. The time is recorded: no WeChat/Alipay binding for 2 hours after (seed 003 item 7).
import { DAY, MINUTE } from '../lib/clock.ts';
import { AppError, RateLimitedError } from '../lib/errors.ts';
import { constantTimeEqual, hmacSha256, randomToken } from '../lib/crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import { requireCaptcha, type CaptchaAnswer } from '../captcha/service.ts';
import { checkTypedCode, issueCode, liveResendableCode, newResendableCode, retireResendableCode, spendCode } from '../verification/service.ts';
import { revokeOtherSessions } from '../sessions/service.ts';
import { indexOf } from '../identity/service.ts';
import { findIdentity } from '../identity/queries.ts';
import { normalizeName } from '../identity/names.ts';
import { validateIdNumber, type IdType } from '../identity/id-numbers/index.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { accountByUsername, parseUsername, type UsernameKind } from '../accounts/usernames.ts';
import { sendActivationLink } from '../registration/service.ts';
import { normalizePhone, passwordProblem } from '../accounts/rules.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { hasSecondFactor } from '../mfa/second-factor.ts';
import { requestRemoval } from '../mfa/removal.ts';

import type { NewMessage } from '../notifications/queries.ts';
import {
  accountNotice,
  CODE_PURPOSES,
  codeMessage,
  passwordReset,
  recoveryPausedForIdentity,
  resetLinkEmail,
  resetLinkSms,
} from '../notifications/templates/index.ts';
import * as accounts from '../accounts/queries.ts';
import * as q from './queries.ts';
import { withinRecipientLimit, spendAskerLimits, spendGlobalLimits, phoneBlockOf } from '../verification/send-limits.ts';
import type { LimitName } from '../security/rate-limits.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { displayUsername, maskedUsername, provedContacts } from '../accounts/account-view.ts';

export const RESET_CODE_TTL_MS = 10 * MINUTE;
/** The whole request (and an emailed link) lasts 30 minutes: mail can be slow. */
export const RESET_TTL_MS = 30 * MINUTE;
const CODE_PURPOSE = 'reset_password';
/** The account's one live SMS code (resendable): every request within its life carries it. */
const SMS_CODE_PURPOSE = 'reset_password_sms';
/** A network the account signed in from this recently is the owner's (see smsPlan). */
const KNOWN_NETWORK_MS = 90 * DAY;
/** Wrong name / ID number answers on one request before it is closed. */
const IDENTITY_TRIES = 5;

const secretHash = (deps: AccountDeps, secret: string) => hmacSha256(deps.verification.codeKey, `reset\0${secret}`);
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface ResetRequest {
  /** What the page says next depends on this only, never on whether an account matched. */
  kind: Exclude<UsernameKind, 'other'>;
  /** Held by the browser: with the SMS code it unlocks step 3. */
  flow: string;
}

export async function requestPasswordReset(deps: AccountDeps, input: { username: string; captcha: CaptchaAnswer }, meta: RequestMeta): Promise<ResetRequest> {
  const username = parseUsername(input.username);
  if (!username.typed) throw new AppError('login.username_required', { field: 'username' });
  if (username.kind === 'other') throw new AppError('recover.username_invalid', { field: 'username' });
  await requireCaptcha(deps.captcha, input.captcha, 'recover_password', meta.ip);
  await deps.limits.consume('recoveryPerIp', meta.ip);
  // Only the asker's and the service's limits here: a limit on the typed username would let a
  // stranger who asks often refuse the owner (操作过于频繁 for a day).
  await spendAskerLimits(deps, meta.ip);
  await spendGlobalLimits(deps);

  const found = await accountByUsername(deps, username);
  const account = found && (found.state === 'active' || found.state === 'needs_verification' || found.state === 'pending_activation') ? found : undefined;
  const pending = account?.state === 'pending_activation';
  // A phone (or an ID number whose account has a proved phone) gets a code; otherwise the link.
  const channel: 'sms' | 'email' | 'none' =
    !account || pending
      ? 'none'
      : username.kind !== 'email' && account.phone && account.phone_verified_at
        ? 'sms'
        : account.email && account.email_verified_at
          ? 'email'
          : 'none';
  // Whatever username was typed, what reaches one phone or mailbox in a day is limited; past it
  // nothing more is sent and the page reads the same (no 操作过于频繁 here, which would say an
  // account is behind it).
  const sms = channel === 'sms' ? await smsPlan(deps, account!.id, account!.phone!, meta) : undefined;
  // A phone number or ID number that reaches no phone does the same work against a stand-in, so
  // the time taken does not tell a registered number from another (recovery-enumeration test).
  const stand =
    channel !== 'sms' && username.kind !== 'email'
      ? standIn(deps, username.key, username.kind === 'phone' ? normalizePhone(username.typed) : undefined)
      : undefined;
  const standPlan = stand ? await smsPlan(deps, stand.accountId, stand.phone, meta) : undefined;
  const recipient = channel === 'email' || pending ? `email:${account!.email}` : `reset-unsent:${username.key}`;
  const withinDaily = sms ? sms.kind !== 'refused' : await withinRecipientLimit(deps, recipient);
  const delivery = channel === 'sms' ? (sms!.kind === 'refused' ? 'none' : 'sms') : withinDaily ? channel : 'none';
  const resend = pending && withinDaily;

  const flow = randomToken(32);
  const link = delivery === 'email' ? randomToken(32) : null;
  const now = deps.clock.now();
  let smsOutcome: { made: boolean; sent: boolean } | undefined;
  let standOutcome: { made: boolean; sent: boolean } | undefined;
  await deps.db.transaction().execute(async (tx) => {
    const resetId = await q.insertReset(tx, {
      accountId: account?.id ?? null,
      credentialEpoch: account?.credential_epoch ?? 0,
      flowHash: secretHash(deps, flow),
      linkHash: link ? secretHash(deps, link) : null,
      delivery,
      now,
      expiresAt: new Date(now.getTime() + RESET_TTL_MS),
      guessSubject: account?.id ?? standIn(deps, username.key).accountId,
    });
    // Every request gets a code, sent or not, so a wrong guess reads the same for everyone. By
    // SMS it is the account's live code: the one already on the phone works for this request too.
    const live = sms?.kind === 'new' || sms?.kind === 'live' ? await smsCode(tx, deps, account!.id, sms.kind) : undefined;
    const standCode = stand && (standPlan?.kind === 'new' || standPlan?.kind === 'live') ? await smsCode(tx, deps, stand.accountId, standPlan.kind) : undefined;
    const code = await issueCode(tx, deps.verification, CODE_PURPOSE, resetId, RESET_CODE_TTL_MS, live);
    const sent = Boolean(live && (live.made || (sms?.kind === 'live' && sms.send)));
    if (sent) await deps.outbox.enqueue(tx, codeMessage('sms', account!.phone!, code, CODE_PURPOSES.passwordReset));
    smsOutcome = live ? { made: live.made, sent } : undefined;
    standOutcome = standCode ? { made: standCode.made, sent: standCode.made || (standPlan?.kind === 'live' && standPlan.send) } : undefined;
    if (delivery === 'email') await deps.outbox.enqueue(tx, resetLinkEmail(account!.email!, `${deps.publicUrl}/recover/password/reset?token=${link}`));
    // An account still waiting for activation is finished by activation, which sets the password.
    if (resend) await sendActivationLink(deps, tx, account!.id, account!.email!);
    await recordAudit(tx, {
      action: 'recovery.password_requested',
      actor: { kind: 'anonymous' },
      accountId: account?.id ?? null,
      ip: meta.ip,
      detail: {
        by: username.kind,
        delivery: resend ? 'activation' : delivery,
        withinDaily,
        ...(sms ? { sms: sms.kind === 'live' ? (sms.send ? 'resent' : 'already_sent') : sms.kind } : {}),
      },
      at: now,
    });
  });
  if (smsOutcome) await spendSmsPlan(deps, account!.phone!, meta, smsOutcome);
  if (standOutcome && stand) await spendSmsPlan(deps, stand.phone, meta, standOutcome);
  // No nudge (see username-recovery.ts): the worker's next poll sends it, matched or not alike.
  return { kind: username.kind, flow };
}

/**
 * A reset link support sends once it has checked who asks (an enterprise's stamped letter, a
 * person's evidence), to the phone or address support was given, in the caller's transaction. It
 * opens step 3 like any link (a real-name account still answers its name and ID number there).
 */
export async function issueResetLink(
  tx: Parameters<typeof q.insertReset>[0],
  deps: AccountDeps,
  accountId: string,
  to: { channel: 'sms' | 'email'; recipient: string },
): Promise<void> {
  const link = randomToken(32);
  const now = deps.clock.now();
  // One live link at a time: an earlier one (perhaps sent somewhere wrong) stops working.
  await q.retireOpenResets(tx, accountId, now);
  const account = await accounts.findById(tx, accountId);
  await q.insertReset(tx, {
    accountId,
    credentialEpoch: account?.credential_epoch ?? 0,
    flowHash: secretHash(deps, randomToken(32)),
    linkHash: secretHash(deps, link),
    // Where it went decides where the "password changed" notice does not go alone.
    delivery: to.channel,
    now,
    expiresAt: new Date(now.getTime() + RESET_TTL_MS),
  });
  const url = `${deps.publicUrl}/recover/password/reset?token=${link}`;
  await deps.outbox.enqueue(tx, to.channel === 'sms' ? resetLinkSms(to.recipient, url) : resetLinkEmail(to.recipient, url));
}

/** Step 2 for SMS: the code typed in the browser that asked. Same answers for every request. */
/** The stand-in account and phone for a typed username that reaches no phone (never sent to). */
function standIn(deps: AccountDeps, usernameKey: string, typedPhone?: string) {
  const h = hmacSha256(deps.verification.codeKey, `reset-stand-in\0${usernameKey}`).toString('hex');
  // A typed phone number's own limits and number block, as the registered number's would be.
  return {
    accountId: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
    phone: typedPhone ?? `stand-in:${h.slice(0, 16)}`,
  };
}

type SmsPlan = { kind: 'new' } | { kind: 'live'; send: boolean } | { kind: 'refused' };

/**
 * What a request sends to the account's phone. While a code is live (10 minutes) every request
 * carries that same code: it is sent again at most every 2 minutes and 5 times a day, and asking
 * spends no daily allowance, so the owner's own request always works with the code on the phone.
 * A new code needs the asking IP's allowance for this phone (3 a day) and the phone's (10 a day,
 * shared with its other codes) — except from a network the account signed in from in the last 90
 * days, where the owner is not refused for what strangers spent — and room in the number block.
 * Nothing here throws (a refusal would tell a registered number from another); what a sent message
 * spends is counted once it is sent (spendSmsPlan), so a burst of requests spends it once.
 */
async function smsPlan(deps: AccountDeps, accountId: string, phone: string, meta: RequestMeta): Promise<SmsPlan> {
  const key = `phone:${phone}`;
  const room = async (name: LimitName, k: string) => (await deps.limits.spent(name, k)) < deps.limits.policy[name].points;
  if (await liveResendableCode(deps.db, deps.verification, SMS_CODE_PURPOSE, accountId)) {
    // Counted at once: of simultaneous requests only the first re-sends.
    const due =
      (await deps.limits.count('resetSmsResendInterval', key)) <= deps.limits.policy.resetSmsResendInterval.points &&
      (await room('resetSmsResendsDaily', key)) &&
      (await room('codesPerPhonePrefix', phoneBlockOf(phone)));
    return { kind: 'live', send: due };
  }
  if (!(await room('resetSmsPerPhoneIp', `${key}\0${meta.ip}`))) return { kind: 'refused' };
  const owner = await q.signedInFrom(deps.db, accountId, meta.ip, new Date(deps.clock.now().getTime() - KNOWN_NETWORK_MS));
  if (!owner && !(await room('codesPerTargetDaily', key))) return { kind: 'refused' };
  if (!(await room('codesPerPhonePrefix', phoneBlockOf(phone)))) return { kind: 'refused' };
  // Counted now, not once sent: a request that finds this new code live a moment later does not
  // re-send it (the first re-send is two minutes after the first send).
  await deps.limits.count('resetSmsResendInterval', key);
  return { kind: 'new' };
}

/** What a code made or a message sent spends, counted after the request's transaction. */
async function spendSmsPlan(deps: AccountDeps, phone: string, meta: RequestMeta, outcome: { made: boolean; sent: boolean }) {
  const key = `phone:${phone}`;
  if (outcome.made) {
    await deps.limits.count('resetSmsPerPhoneIp', `${key}\0${meta.ip}`);
    await deps.limits.count('codesPerTargetDaily', key);
  } else if (outcome.sent) {
    await deps.limits.count('resetSmsResendsDaily', key);
  }
  if (outcome.sent) await deps.limits.count('codesPerPhonePrefix', phoneBlockOf(phone));
}

/**
 * The account's live SMS code for the request's own code row; `made` when this request made it
 * (planned so, or the live one expired since), and then it must be sent. Two requests at once make
 * one code: the other finds it and carries it.
 */
async function smsCode(tx: Parameters<typeof q.insertReset>[0], deps: AccountDeps, accountId: string, kind: 'new' | 'live') {
  const live = kind === 'live' ? await liveResendableCode(tx, deps.verification, SMS_CODE_PURPOSE, accountId) : undefined;
  if (live) return { ...live, made: false };
  const made = await newResendableCode(tx, deps.verification, SMS_CODE_PURPOSE, accountId, RESET_CODE_TTL_MS);
  if (made) return { ...made, made: true };
  const other = await liveResendableCode(tx, deps.verification, SMS_CODE_PURPOSE, accountId);
  if (!other) throw new AppError('error.try_again', { status: 409 });
  return { ...other, made: false };
}

export async function verifyResetCode(deps: AccountDeps, flow: string, code: string, meta: RequestMeta): Promise<void> {
  const reset = SECRET_SHAPE.test(flow) ? await q.findResetByFlow(deps.db, secretHash(deps, flow)) : undefined;
  if (!reset || !isOpen(deps, reset, reset.account_epoch)) throw new AppError('recover.expired', { status: 410 });
  // Only a reset whose code went out by SMS opens with a code. For the others (a link went out,
  // or nothing did) the unsent code can never be right, and a wrong guess reads as any other.
  const typed = reset.delivery === 'sms' ? code : `${code}\0not-sent`;
  // The requests within a code's life carry one code: their wrong guesses add up per account (or
  // stand-in), except from the network the account signs in from (the owner is not held back).
  const subject = reset.guess_subject ?? reset.id;
  // Asked for every request (a stand-in has no sign-ins), so the work is the same either way.
  const owner = await q.signedInFrom(deps.db, reset.account_id ?? subject, meta.ip, new Date(deps.clock.now().getTime() - KNOWN_NETWORK_MS));
  if (!owner) {
    for (const name of ['resetCodeGuessesPerSubject', 'resetCodeGuessesPerSubjectDaily'] as const) {
      // Spent in full: no more tries (not even a right one) until the window passes.
      if ((await deps.limits.spent(name, subject)) >= deps.limits.policy[name].points) throw new RateLimitedError(await deps.limits.retryAfter(name, subject));
    }
  }
  let ticket: Awaited<ReturnType<typeof checkTypedCode>>;
  try {
    ticket = await checkTypedCode(deps.db, deps.verification, deps.limits, meta.ip, { purpose: CODE_PURPOSE, target: reset.id, code: typed });
  } catch (error) {
    if (error instanceof AppError && error.code === 'code.wrong' && !owner) {
      await deps.limits.count('resetCodeGuessesPerSubject', subject);
      await deps.limits.count('resetCodeGuessesPerSubjectDaily', subject);
    }
    throw error;
  }
  await deps.db.transaction().execute(async (tx) => {
    await spendCode(tx, deps.verification, ticket);
    const now = deps.clock.now();
    await q.markCodeVerified(tx, reset.id, now);
    if (reset.delivery === 'sms' && reset.account_id) {
      // Used once: the next request gets a new code, and the other open requests that carried
      // this one no longer open with it.
      await retireResendableCode(tx, deps.verification, SMS_CODE_PURPOSE, reset.account_id);
      await q.retireOpenResets(tx, reset.account_id, now, reset.id);
    }
  });
}

export type ResetPreview =
  { status: 'ready'; username: string; identity: { idType: string } | null; secondFactor: boolean } | { status: 'expired' } | { status: 'locked' };

/**
 * Not completed, not expired, and issued before nothing changed: a password or contact changed
 * since (a higher credential count) voids it. `accountEpoch` is null for a reset without an account.
 */
function isOpen(deps: AccountDeps, reset: { completed_at: Date | null; expires_at: Date; credential_epoch: number }, accountEpoch: number | null): boolean {
  if (reset.completed_at || reset.expires_at.getTime() <= deps.clock.now().getTime()) return false;
  return accountEpoch === null || accountEpoch === reset.credential_epoch;
}

async function unlockedReset(deps: AccountDeps, tx: Parameters<typeof q.findUnlockedResetForUpdate>[0], secret: string) {
  if (!SECRET_SHAPE.test(secret)) return undefined;
  const reset = await q.findUnlockedResetForUpdate(tx, secretHash(deps, secret));
  if (!reset?.account_id || reset.identity_failures >= IDENTITY_TRIES) return undefined;
  const account = await accounts.findById(tx, reset.account_id);
  if (!account || !isOpen(deps, reset, account.credential_epoch)) return undefined;
  if (account.state !== 'active' && account.state !== 'needs_verification') return undefined;
  return { reset, account };
}

/** What step 3 asks, shown before anything changes (opening the link changes nothing). */
export async function previewReset(deps: AccountDeps, secret: string): Promise<ResetPreview> {
  const preview = await deps.db.transaction().execute(async (tx) => {
    const found = await unlockedReset(deps, tx, secret);
    if (!found) return undefined;
    const identity = await findIdentity(tx, found.account.id);
    return { accountId: found.account.id, username: maskedUsername(found.account), identity: identity ? { idType: identity.id_type } : null };
  });
  if (!preview) return { status: 'expired' };
  // Paused after too many wrong real-name answers: said now, not after a new password is typed.
  // (Asked outside the transaction: the limiter has its own connection.)
  if (preview.identity && (await deps.limits.retryAfter('recoveryIdentityFailures', preview.accountId)) > 0) return { status: 'locked' };
  return { status: 'ready', username: preview.username, identity: preview.identity, secondFactor: await hasSecondFactor(deps, preview.accountId) };
}

export interface ResetCompletion {
  secret: string;
  password: string;
  name?: string | undefined;
  idNumber?: string | undefined;
  /** Lost both the authenticator and the recovery codes: ask for its removal (after a wait). */
  removeSecondFactor?: boolean | undefined;
}

/** True when name and number are the account's own (the number compared by its blind index). */
async function identityMatches(deps: AccountDeps, tx: Parameters<typeof findIdentity>[0], accountId: string, name: string, idNumber: string) {
  const identity = await findIdentity(tx, accountId);
  if (!identity) return true;
  const id = validateIdNumber(identity.id_type as IdType, idNumber, deps.clock.now());
  const index = id.ok ? indexOf(deps.identity.keys, id) : Buffer.alloc(32);
  const sameNumber = constantTimeEqual(Buffer.from(identity.id_index), index);
  return sameNumber && normalizeName(name) === identity.name;
}

export async function completeReset(deps: AccountDeps, input: ResetCompletion, meta: RequestMeta): Promise<void> {
  const peek = await unlockedReset(deps, deps.db, input.secret);
  if (!peek) throw new AppError('recover.expired', { status: 410 });
  const accountId = peek.account.id;
  // Wrong real-name answers count per account as well as per request, so new requests do not
  // buy new tries; counted before the check (and given back when right) so a burst cannot outrun it.
  const rule = deps.limits.policy.recoveryIdentityFailures;
  const attempt = await deps.limits.count('recoveryIdentityFailures', accountId);
  if (attempt > rule.points) throw new AppError('recover.identity_locked', { status: 429 });
  // The answer is checked in its own transaction, so a wrong one stays counted.
  const checked = await deps.db.transaction().execute(async (tx) => {
    const found = await unlockedReset(deps, tx, input.secret);
    if (!found || found.account.id !== accountId) return new AppError('recover.expired', { status: 410 });
    if (!(await identityMatches(deps, tx, accountId, input.name ?? '', input.idNumber ?? ''))) {
      const left = IDENTITY_TRIES - (await q.countIdentityFailure(tx, found.reset.id));
      await recordAudit(tx, { action: 'recovery.identity_mismatch', actor: { kind: 'anonymous' }, accountId, ip: meta.ip, at: deps.clock.now() });
      if (attempt >= rule.points) {
        await notifyContacts(tx, deps.outbox, provedContacts(found.account), recoveryPausedForIdentity);
      }
      return left > 0 && attempt < rule.points
        ? new AppError('recover.identity_mismatch', { field: 'idNumber', params: { left: Math.min(left, rule.points - attempt) } })
        : new AppError(attempt >= rule.points ? 'recover.identity_locked' : 'recover.expired', { status: attempt >= rule.points ? 429 : 410 });
    }
    return found.account;
  });
  if (checked instanceof AppError) {
    if (attempt >= rule.points) await deps.limits.block('recoveryIdentityFailures', accountId, rule.blockSeconds ?? rule.durationSeconds);
    throw checked;
  }
  await deps.limits.refund('recoveryIdentityFailures', accountId);
  const problem = passwordProblem(input.password, displayUsername(checked));
  if (problem) throw new AppError(problem, { field: 'password' });
  const passwordHash = await deps.hasher.hash(input.password);

  await deps.db.transaction().execute(async (tx) => {
    const found = await unlockedReset(deps, tx, input.secret);
    if (!found) throw new AppError('recover.expired', { status: 410 });
    const { reset, account } = found;
    const now = deps.clock.now();
    await accounts.setRecoveredPassword(tx, account.id, passwordHash, now);
    const ended = await revokeOtherSessions(tx, deps.sessions, account.id, null);
    await q.completeResets(tx, account.id, reset.id, now);
    await recordAudit(tx, {
      action: 'account.password_reset',
      actor: { kind: 'account', id: account.id },
      accountId: account.id,
      ip: meta.ip,
      detail: { via: reset.delivery, sessionsEnded: ended },
      at: now,
    });
    const notice = passwordResetNotice(account, reset.delivery, now);
    if (notice) await deps.outbox.enqueue(tx, notice);
    // A reset never signs in (the person signs in afterwards, second factor and all); removing the
    // second factor is only asked here, and waits its period with notices (mfa/removal.ts).
    if (input.removeSecondFactor) await requestRemoval(tx, deps, account.id, reset.delivery === 'sms' ? 'sms' : 'email', meta);
  });
  deps.outbox.nudge();
}

/** Told on the other channel when there is one (a thief holding one channel cannot hide it). */
function passwordResetNotice(account: accounts.AccountRow, via: 'sms' | 'email' | 'none', at: Date): NewMessage | undefined {
  const { phone, email } = provedContacts(account);
  const text = passwordReset(at);
  if (via === 'sms') return email ? accountNotice('email', email, text) : phone ? accountNotice('sms', phone, text) : undefined;
  return phone ? accountNotice('sms', phone, text) : email ? accountNotice('email', email, text) : undefined;
}
