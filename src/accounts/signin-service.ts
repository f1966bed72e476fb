// Sign-in with phone or email and password. Unknown usernames and wrong passwords get the same
// answer after the same work (a dummy argon2 verify). Failures make a captcha necessary for the
// account and add growing waits for that account from that IP, so a stranger elsewhere can
// never lock the owner out.
//
// Failures are counted per account, whichever identifier was typed (phone, email, ID number in
// any spelling): counting per identifier gave a guesser three captcha-free tries for each. The
// cost: someone who already knows two identifiers and fails three times learns from the captcha
// that they belong together; that takes failures the account's audit trail shows. An identifier
// that names no account is counted on its own, as an account would be.
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { revokeSession } from '../sessions/service.ts';
import { completeSignIn } from './sign-in-completion.ts';
import { describeDevice } from '../lib/user-agent.ts';
import { answered, solveCaptcha, type CaptchaAnswer } from '../captcha/service.ts';
import type { AccountDeps } from './deps.ts';
import { accountByUsername, formerAccountByUsername, parseUsername, type Username } from './usernames.ts';
import * as q from './queries.ts';
import { issueTicket } from '../verification/tickets.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { RequestMeta } from '../http/request-meta.ts';

/** Failures from one IP on one account before waits begin; then 15 s, 30 s, 60 s … up to 1 h. */
const FREE_FAILURES = 5;
const delaySeconds = (failures: number) => Math.min(15 * 2 ** (failures - FREE_FAILURES), 3_600);

export interface SignInInput {
  username: string;
  password: string;
  captcha?: CaptchaAnswer | undefined;
}

/** Ticket purpose: this browser typed the right password of a deregistered account (dispute-routes). */
export const DEREGISTERED_SIGN_IN = 'deregistered-sign-in';
const DEREGISTERED_TICKET_MS = 15 * 60_000;

/** Thrown for every failed sign-in; `captchaRequired` tells the page to show a captcha next. */
export class SignInError extends AppError {
  readonly captchaRequired: boolean;
  constructor(code: MessageKey, captchaRequired: boolean, status = 401) {
    super(code, { status, params: {} });
    this.captchaRequired = captchaRequired;
  }
}

/** What failures are counted against: the account the identifier names, or the identifier. */
async function failureSubject(deps: AccountDeps, username: Username) {
  const account = await accountByUsername(deps, username);
  // Looked up for every username, found or not, so the work is the same either way: the
  // deregistered account a released phone or address last belonged to is counted as an account.
  const found = await formerAccountByUsername(deps, username);
  const former = account ? undefined : found;
  const counted = account ?? former;
  return { account, former, key: counted ? `account:${counted.id}` : username.key };
}

/**
 * The right password of an account that was deregistered: its owner is told when and why (not
 * "wrong password"), with a ticket the dispute page accepts as proof that they typed it.
 */
export class DeregisteredSignIn extends SignInError {
  readonly deregisteredAt: Date | undefined;
  readonly reason: string | undefined;
  readonly ticket: string;
  constructor(deregisteredAt: Date | undefined, reason: string | undefined, ticket: string) {
    super('login.deregistered', false, 403);
    this.deregisteredAt = deregisteredAt;
    this.reason = reason;
    this.ticket = ticket;
  }
}

export async function captchaRequiredFor(deps: AccountDeps, username: string): Promise<boolean> {
  const { key } = await failureSubject(deps, parseUsername(username));
  return (await deps.limits.spent('loginFailuresBeforeCaptcha', key)) >= deps.limits.policy.loginFailuresBeforeCaptcha.points;
}

/** Forgets the failures counted against a username's account (support, and tests). */
export async function resetSignInFailures(deps: AccountDeps, username: string): Promise<void> {
  const { key } = await failureSubject(deps, parseUsername(username));
  await deps.limits.reset('loginFailuresBeforeCaptcha', key);
}

export async function signIn(deps: AccountDeps, input: SignInInput, meta: RequestMeta) {
  // The account is looked up first for known and unknown usernames alike (one query either way).
  const { account, former, key: userKey } = await failureSubject(deps, parseUsername(input.username));
  const pairKey = `${userKey}\0${meta.ip}`;
  // Every attempt is counted before its password is checked (and given back when it succeeds):
  // parallel attempts then each see the ones before them, so a burst cannot outrun the captcha,
  // the waits or the per-IP limit. One round trip, in this order: a wait still running refuses
  // before anything is spent, and a refused IP counts nothing against the account.
  const [, , attempt = 0, pairAttempt = 0] = await deps.limits.spendMany([
    { do: 'check', name: 'loginDelayPerAccountIp', key: pairKey },
    { do: 'consume', name: 'loginFailuresPerIp', key: meta.ip },
    { do: 'count', name: 'loginFailuresBeforeCaptcha', key: userKey },
    { do: 'count', name: 'loginFailuresPerAccountIp', key: pairKey },
  ]);
  const captchaAfter = deps.limits.policy.loginFailuresBeforeCaptcha.points;
  const captcha = input.captcha ?? {};
  if (attempt > captchaAfter && !(await solveCaptcha(deps.captcha, captcha, 'sign_in', meta.ip))) {
    throw new SignInError(answered(captcha) ? 'login.captcha_wrong' : 'login.captcha_required', true);
  }

  const hash = account?.password_hash ?? former?.password_hash;
  const passwordOk = hash ? await deps.hasher.verify(hash, input.password) : (await deps.hasher.verifyDummy(input.password), false);
  if (!account && former && passwordOk) {
    await deps.limits.refund('loginFailuresPerIp', meta.ip);
    const event = await q.lastDeregistration(deps.db, former.id);
    const reason = (event?.payload as { reason?: string } | undefined)?.reason;
    const ticket = issueTicket(deps.verification.codeKey, DEREGISTERED_SIGN_IN, former.id, new Date(deps.clock.now().getTime() + DEREGISTERED_TICKET_MS));
    throw new DeregisteredSignIn(event?.created_at, reason, ticket);
  }

  if (!account || !passwordOk) {
    if (pairAttempt >= FREE_FAILURES) await deps.limits.block('loginDelayPerAccountIp', pairKey, delaySeconds(pairAttempt));
    const tried = account ?? former;
    if (tried) {
      await recordAudit(deps.db, {
        action: 'session.sign_in_failed',
        actor: { kind: 'anonymous' },
        accountId: tried.id,
        ip: meta.ip,
        detail: { device: describeDevice(meta.userAgent) },
        at: deps.clock.now(),
      });
    }
    throw new SignInError('login.failed', attempt >= captchaAfter);
  }

  // Only someone who knows the password learns the account's state.
  if (account.state === 'pending_activation') throw new SignInError('login.not_activated', false, 403);
  if (account.state === 'suspended' || account.state === 'deregistered') throw new SignInError('login.account_unavailable', false, 403);

  await deps.limits.settleMany({
    refund: [{ name: 'loginFailuresPerIp', key: meta.ip }],
    reset: [
      { name: 'loginFailuresBeforeCaptcha', key: userKey },
      { name: 'loginFailuresPerAccountIp', key: pairKey },
    ],
  });
  return completeSignIn(deps, account.id, meta, 'password');
}

export async function signOut(deps: AccountDeps, accountId: string, sessionId: string, meta: RequestMeta): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    if (await revokeSession(tx, deps.sessions, accountId, sessionId)) {
      await recordAudit(tx, {
        action: 'session.ended',
        actor: { kind: 'account', id: accountId },
        accountId,
        ip: meta.ip,
        detail: { sessionId },
        at: deps.clock.now(),
      });
    }
  });
}
