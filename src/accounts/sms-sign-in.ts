// 手机校验码登录: a phone number and the code sent to it, instead of the password. A stranger must
// not learn from it whether a number is registered, so both steps do the same work and give the
// same answers for any well-formed mainland number:
// - asking for a code spends the same limits (the asker's, the number's own sign-in counts, the
//   number block's and the service's) and writes a code for the number either way; only a number that signs in to
//   an account gets the SMS. No nudge to the outbox worker: its next poll sends it, so the answer
//   comes as fast for a number with an account as for one without;
// - checking a code compares what was typed with the stored code either way, and for a number
//   that reaches no account compares it in a form that can never match, so every wrong code, and
//   every code for an unregistered number, reads 校验码错误 with the same count of tries left.
// What still differs is one row: the SMS queued for a number with an account. `npm run bench`
// measures both steps side by side (bench/sms-sign-in.ts); the difference, about a millisecond on
// loopback, is far inside a network's jitter, and the limits (one code a minute and ten a day per
// number) leave a prober too few tries to average it out.
// No account is ever made here: a person without one is pointed to registration by the page.
// A code lasts 10 minutes and takes 5 wrong tries (MAX_WRONG_TRIES); the per-IP guessing limit
// every code form shares applies too.
import { MINUTE } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { maskPhone } from '../lib/mask.ts';
import { recordAudit } from '../audit/audit.ts';
import { describeDevice } from '../lib/user-agent.ts';
import { requireCaptcha, type CaptchaAnswer } from '../captcha/service.ts';
import { checkTypedCode, issueCode, spendCode } from '../verification/service.ts';
import { anonymousSmsNeedsCaptcha, nextAnonymousSmsNeedsCaptcha, spendCodeSendLimits } from '../verification/send-limits.ts';
import { codeMessage, CODE_PURPOSES } from '../notifications/templates/index.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { AccountDeps } from './deps.ts';
import { accountByUsername, parseUsername } from './usernames.ts';
import { completeSignIn, type SignedIn } from './sign-in-completion.ts';
import type { AccountRow } from './queries.ts';

export const SIGN_IN_CODE_TTL_MS = 10 * MINUTE;
const PURPOSE = 'sign_in_sms';
/** Counts of their own (rate-limits.ts says why); the number block's and the service's are shared. */
const SIGN_IN_CODE_LIMITS = { resend: 'signInCodeResendPerPhone', daily: 'signInCodesPerPhoneDaily' } as const;
/** Appended to what was typed for a number no code went to: the stored code can never equal it. */
const NOT_SENT = '\0not-sent';

/** The account a phone number signs in to by SMS: its proved phone, and a state that may sign in. */
async function accountOfPhone(deps: AccountDeps, phone: string): Promise<AccountRow | undefined> {
  const account = await accountByUsername(deps, parseUsername(phone));
  if (!account?.phone_verified_at) return undefined;
  return account.state === 'active' || account.state === 'needs_verification' ? account : undefined;
}

/** Whether the page should show a captcha beside 免费获取 for this IP (as registration does). */
export const signInCodeNeedsCaptcha = (deps: AccountDeps, ip: string) => nextAnonymousSmsNeedsCaptcha(deps, ip);

/**
 * Sends a sign-in code to `phone` (already normalised and checked as a mainland mobile number) if
 * it signs in to an account. Answers the masked number either way; refuses (操作过于频繁) only on
 * limits that count every number alike.
 */
export async function requestSignInCode(deps: AccountDeps, phone: string, meta: RequestMeta, captcha: CaptchaAnswer = {}): Promise<{ sentTo: string }> {
  if (await anonymousSmsNeedsCaptcha(deps, meta.ip)) await requireCaptcha(deps.captcha, captcha, 'send_code', meta.ip);
  await spendCodeSendLimits(deps, `phone:${phone}`, meta.ip, SIGN_IN_CODE_LIMITS);
  const account = await accountOfPhone(deps, phone);
  await deps.db.transaction().execute(async (tx) => {
    const code = await issueCode(tx, deps.verification, PURPOSE, phone, SIGN_IN_CODE_TTL_MS);
    if (account) await deps.outbox.enqueue(tx, codeMessage('sms', phone, code, CODE_PURPOSES.signIn));
    await recordAudit(tx, {
      action: 'session.sign_in_code_requested',
      actor: { kind: 'anonymous' },
      accountId: account?.id ?? null,
      ip: meta.ip,
      detail: { device: describeDevice(meta.userAgent) },
      at: deps.clock.now(),
    });
  });
  return { sentTo: maskPhone(phone) };
}

/** Signs in with the code sent to `phone`; wrong, expired and unsent codes throw the code's error. */
export async function signInWithSmsCode(deps: AccountDeps, input: { phone: string; code: string }, meta: RequestMeta): Promise<SignedIn> {
  const account = await accountOfPhone(deps, input.phone);
  const typed = account ? input.code : `${input.code}${NOT_SENT}`;
  let ticket: Awaited<ReturnType<typeof checkTypedCode>>;
  try {
    ticket = await checkTypedCode(deps.db, deps.verification, deps.limits, meta.ip, { purpose: PURPOSE, target: input.phone, code: typed });
  } catch (error) {
    // Written for every wrong code, whether or not the number has an account (then without one,
    // a trace for support): the same work either way.
    if (error instanceof AppError && (error.code === 'code.wrong' || error.code === 'code.too_many_tries')) {
      await recordAudit(deps.db, {
        action: 'session.sms_sign_in_failed',
        actor: { kind: 'anonymous' },
        accountId: account?.id ?? null,
        ip: meta.ip,
        detail: { device: describeDevice(meta.userAgent) },
        at: deps.clock.now(),
      });
    }
    throw error;
  }
  // Spent on its own before the session starts: were the process to stop between the two, the
  // person asks for another code; the code can never be used twice.
  await deps.db.transaction().execute((tx) => spendCode(tx, deps.verification, ticket));
  return completeSignIn(deps, account!.id, meta, 'sms_code');
}
