// Registration by phone (SMS code) or by email (activation link), activation, and confirming
// the optional email of a phone registration. Each change, its audit event and its messages
// commit in one transaction.
import { DAY } from '../lib/clock.ts';
import { AppError, RateLimitedError } from '../lib/errors.ts';
import { maskEmail, maskPhone } from '../lib/mask.ts';
import { recordAudit } from '../audit/audit.ts';
import { activationEmail, confirmEmailEmail, registrationCodeSms } from '../notifications/templates/index.ts';
import { checkTypedCode, checkLinkToken, consumeLinkToken, issueCode, issueLinkToken, spendCode } from '../verification/service.ts';
import { startSession } from '../accounts/session-start.ts';
import { assertEmailAvailable, assertPhoneAvailable } from '../contacts/availability.ts';
import { type AccountDeps } from '../accounts/deps.ts';
import { passwordProblem } from '../accounts/rules.ts';
import * as q from '../accounts/queries.ts';
import * as lifecycle from '../accounts/lifecycle.ts';
import {
  anonymousSmsNeedsCaptcha,
  nextAnonymousSmsNeedsCaptcha,
  spendAskerLimits,
  spendCodeSendLimits,
  spendTargetLimits,
} from '../verification/send-limits.ts';
import { requireCaptcha, type CaptchaAnswer } from '../captcha/service.ts';
import type { CheckedIdentity } from '../identity/service.ts';
import { saveRealName } from '../accounts/real-name.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { recordAgreement } from '../consent/service.ts';
import type { RequestMeta } from '../http/request-meta.ts';

/** Seed rule: registration and binding codes are valid for one day. */
export const REGISTRATION_CODE_TTL_MS = DAY;
export const ACTIVATION_LINK_TTL_MS = DAY;
const PURPOSE_REGISTER_PHONE = 'register_phone';
const LINK_ACTIVATE = 'activate';
const LINK_CONFIRM_EMAIL = 'confirm_email';

/** Whether the registration page should show the captcha with 免费获取 for this IP. */
export const sendCodeNeedsCaptcha = (deps: AccountDeps, ip: string) => nextAnonymousSmsNeedsCaptcha(deps, ip);

export async function sendPhoneRegistrationCode(deps: AccountDeps, phone: string, meta: RequestMeta, captcha: CaptchaAnswer = {}): Promise<{ sentTo: string }> {
  await spendAskerLimits(deps, meta.ip);
  if (await anonymousSmsNeedsCaptcha(deps, meta.ip)) await requireCaptcha(deps.captcha, captcha, 'send_code', meta.ip);
  await assertPhoneAvailable(deps.db, phone);
  await spendTargetLimits(deps, `phone:${phone}`);
  await deps.db.transaction().execute(async (tx) => {
    const code = await issueCode(tx, deps.verification, PURPOSE_REGISTER_PHONE, phone, REGISTRATION_CODE_TTL_MS);
    await deps.outbox.enqueue(tx, registrationCodeSms(phone, code));
  });
  deps.outbox.nudge();
  return { sentTo: maskPhone(phone) };
}

/** The password's rules beyond its length (common, the username itself): reads nothing. */
export function assertPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError(problem, { field: 'password' });
}

export interface PhoneRegistration {
  phone: string;
  code: string;
  password: string;
  email?: string | undefined;
  /** The person ticked 我已阅读并同意《用户协议》《个人信息保护政策》: the current versions are recorded. */
  agreed: true;
  /** Real-name information, already checked, its separate consent ticked (optional at registration). */
  identity?: CheckedIdentity | undefined;
}

export async function registerByPhone(deps: AccountDeps, input: PhoneRegistration, meta: RequestMeta) {
  await deps.limits.consume('registrationsPerIp', meta.ip);
  assertPassword(input.password, input.phone);
  await assertPhoneAvailable(deps.db, input.phone);
  if (input.email) await assertEmailAvailable(deps.db, input.email);
  const ticket = await checkTypedCode(deps.db, deps.verification, deps.limits, meta.ip, {
    purpose: PURPOSE_REGISTER_PHONE,
    target: input.phone,
    code: input.code,
  });
  const passwordHash = await deps.hasher.hash(input.password);
  const now = deps.clock.now();
  try {
    const result = await deps.db.transaction().execute(async (tx) => {
      await spendCode(tx, deps.verification, ticket);
      const accountId = await q.insertAccount(tx, {
        phone: input.phone,
        // The optional address waits in its confirmation link; it becomes the account's (and
        // counts as used on the site) only once confirmed, so an unproved entry blocks no one.
        email: null,
        phoneVerifiedAt: now,
        passwordHash,
        state: 'active',
        registeredVia: 'phone',
        now,
      });
      await recordAgreement(tx, deps.legal, accountId, { ip: meta.ip, at: now });
      if (input.identity) await saveRealName(tx, deps, accountId, input.identity, { ip: meta.ip, provedPhone: true });
      if (input.email) {
        const token = await issueLinkToken(tx, deps.verification, {
          purpose: LINK_CONFIRM_EMAIL,
          accountId,
          email: input.email,
          ttlMs: ACTIVATION_LINK_TTL_MS,
        });
        await deps.outbox.enqueue(tx, confirmEmailEmail(input.email, `${deps.publicUrl}/confirm-email?token=${token}`));
      }
      await recordAudit(tx, {
        action: 'account.registered',
        actor: { kind: 'account', id: accountId },
        accountId,
        ip: meta.ip,
        detail: { via: 'phone', withEmail: Boolean(input.email) },
        at: now,
      });
      const session = await startSession(tx, deps, accountId, meta, 'registration');
      return { accountId, session };
    });
    deps.outbox.nudge();
    return { ...result, emailConfirmationSentTo: input.email ? maskEmail(input.email) : undefined };
  } catch (error) {
    // Two registrations racing for one number or address: the loser hears what a later one would.
    if (isUniqueViolation(error)) {
      await assertPhoneAvailable(deps.db, input.phone);
      if (input.email) await assertEmailAvailable(deps.db, input.email);
    }
    throw error;
  }
}

/**
 * No real-name fields here: an account waiting for activation must not claim an ID number (an
 * unactivated registration would otherwise hold someone's number forever). Email accounts add
 * their basic information after activation (情况四).
 */
export interface EmailRegistration {
  email: string;
  password: string;
  /** The person ticked 我已阅读并同意《用户协议》《个人信息保护政策》: the current versions are recorded. */
  agreed: true;
  /** More rows for the new account in its transaction (an enterprise account's details). */
  onCreated?: (tx: Parameters<typeof q.findById>[0], accountId: string, now: Date) => Promise<void>;
}

export async function registerByEmail(deps: AccountDeps, input: EmailRegistration, meta: RequestMeta): Promise<{ sentTo: string }> {
  await deps.limits.consume('registrationsPerIp', meta.ip);
  assertPassword(input.password, input.email);
  await assertEmailAvailable(deps.db, input.email);
  try {
    await deps.limits.consume('emailRegistrationsPerIp', meta.ip);
  } catch (error) {
    if (error instanceof RateLimitedError) throw new AppError('register.email_ip_limited', { field: 'email', status: 429 });
    throw error;
  }
  const passwordHash = await deps.hasher.hash(input.password);
  const now = deps.clock.now();
  try {
    await deps.db.transaction().execute(async (tx) => {
      const accountId = await q.insertAccount(tx, {
        phone: null,
        email: input.email,
        phoneVerifiedAt: null,
        passwordHash,
        state: 'pending_activation',
        registeredVia: 'email',
        now,
      });
      await q.recordEmailUse(tx, input.email, accountId, now);
      await recordAgreement(tx, deps.legal, accountId, { ip: meta.ip, at: now });
      await input.onCreated?.(tx, accountId, now);
      await sendActivationLink(deps, tx, accountId, input.email);
      await recordAudit(tx, {
        action: 'account.registered',
        actor: { kind: 'account', id: accountId },
        accountId,
        ip: meta.ip,
        detail: { via: 'email', ...(input.onCreated ? { kind: 'enterprise' } : {}) },
        at: now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) await assertEmailAvailable(deps.db, input.email);
    throw error;
  }
  deps.outbox.nudge();
  return { sentTo: maskEmail(input.email) };
}

/** A fresh activation link for an account waiting for activation, in the caller's transaction. */
export async function sendActivationLink(deps: AccountDeps, tx: Parameters<typeof q.findById>[0], accountId: string, email: string) {
  const token = await issueLinkToken(tx, deps.verification, { purpose: LINK_ACTIVATE, accountId, email, ttlMs: ACTIVATION_LINK_TTL_MS });
  await deps.outbox.enqueue(tx, activationEmail(email, `${deps.publicUrl}/activate?token=${token}`));
}

/**
 * Sends a fresh activation link when the address waits for activation. The answer is the same
 * whether or not it does; the limits apply either way.
 */
export async function resendActivation(deps: AccountDeps, email: string, meta: RequestMeta): Promise<void> {
  await spendCodeSendLimits(deps, `email:${email}`, meta.ip);
  const account = await q.findByEmail(deps.db, email);
  if (!account || account.state !== 'pending_activation' || account.registered_via !== 'email') return;
  await deps.db.transaction().execute(async (tx) => {
    await sendActivationLink(deps, tx, account.id, email);
    await recordAudit(tx, { action: 'account.activation_resent', actor: { kind: 'anonymous' }, accountId: account.id, ip: meta.ip, at: deps.clock.now() });
  });
  deps.outbox.nudge();
}

export type ActivationResult =
  | { status: 'ready'; email: string }
  | { status: 'activated'; email: string; session: { token: string; id: string; expiresAt: Date; consentDue: boolean } }
  | { status: 'already_active' }
  | { status: 'expired'; email: string }
  | { status: 'invalid' };

/** What the link's page shows before anything changes (a mail scanner opening it activates nothing). */
export async function checkActivation(deps: AccountDeps, token: string): Promise<Exclude<ActivationResult, { status: 'activated' }>> {
  return deps.db.transaction().execute(async (tx) => {
    const check = await checkLinkToken(tx, deps.verification, LINK_ACTIVATE, token);
    if (check.status === 'unknown') return { status: 'invalid' as const };
    const account = await q.findById(tx, check.accountId);
    if (!account) return { status: 'invalid' as const };
    if (account.state !== 'pending_activation') return { status: 'already_active' as const };
    if (check.status !== 'valid') return { status: 'expired' as const, email: check.email };
    return { status: 'ready' as const, email: check.email };
  });
}

/**
 * Activation sets the password, typed again by whoever opened the link. Whoever proves the
 * mailbox owns the account: a stranger who registered someone else's address first (and so knows
 * the password given then) gains nothing, because the owner's password replaces it here.
 */
export async function activate(deps: AccountDeps, token: string, password: string, meta: RequestMeta): Promise<ActivationResult> {
  const preview = await checkActivation(deps, token);
  if (preview.status !== 'ready') return preview;
  assertPassword(password, preview.email);
  const passwordHash = await deps.hasher.hash(password);
  return deps.db.transaction().execute(async (tx): Promise<ActivationResult> => {
    const check = await checkLinkToken(tx, deps.verification, LINK_ACTIVATE, token);
    if (check.status !== 'valid') return check.status === 'unknown' ? { status: 'invalid' } : { status: 'already_active' };
    const now = deps.clock.now();
    await consumeLinkToken(tx, deps.verification, check.id);
    await lifecycle.activate(tx, check.accountId, passwordHash, now);
    await recordAudit(tx, { action: 'account.activated', actor: { kind: 'account', id: check.accountId }, accountId: check.accountId, ip: meta.ip, at: now });
    const session = await startSession(tx, deps, check.accountId, meta, 'activation');
    return { status: 'activated', email: check.email, session };
  });
}

export type ConfirmEmailResult =
  { status: 'confirmed'; email: string } | { status: 'already' } | { status: 'expired' } | { status: 'invalid' } | { status: 'taken' };

export async function confirmEmail(deps: AccountDeps, token: string, meta: RequestMeta): Promise<ConfirmEmailResult> {
  return deps.db.transaction().execute(async (tx): Promise<ConfirmEmailResult> => {
    const check = await checkLinkToken(tx, deps.verification, LINK_CONFIRM_EMAIL, token);
    if (check.status === 'unknown') return { status: 'invalid' };
    if (check.status === 'used') return { status: 'already' };
    if (check.status === 'expired') return { status: 'expired' };
    const now = deps.clock.now();
    // Someone else may have registered or bound the address since the link was sent.
    const holder = await q.findByEmail(tx, check.email);
    if ((holder && holder.id !== check.accountId) || (await q.emailHasBeenUsed(tx, check.email))) return { status: 'taken' };
    await consumeLinkToken(tx, deps.verification, check.id);
    if (!(await q.setConfirmedEmail(tx, check.accountId, check.email, now))) return { status: 'already' };
    await q.recordEmailUse(tx, check.email, check.accountId, now);
    await recordAudit(tx, {
      action: 'account.email_confirmed',
      actor: { kind: 'account', id: check.accountId },
      accountId: check.accountId,
      ip: meta.ip,
      at: now,
    });
    return { status: 'confirmed', email: check.email };
  });
}
