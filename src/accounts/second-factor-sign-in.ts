// The second step of a sign-in on an account with a second factor (mfa/): the first method passed
// (completeSignIn made a pending sign-in for this browser), and now an authenticator code or a
// recovery code — or another second factor through finishWithSecondFactor — starts the session
// with both methods, so platforms hear amr [..., "mfa"] and acr urn:tongxing:acr:mfa.
// One transaction: the code is spent, the pending sign-in used, a waiting removal cancelled and
// the session started together, or none of it.
import { AppError } from '../lib/errors.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { AuthMethod } from '../sessions/auth-methods.ts';
import { abandonPendingSignIn, pendingSignInOf, usePendingSignIn, type PendingSignIn } from '../mfa/pending.ts';
import { guessFailed, refundGuess, secondFactorStatus, spendGuess, spendSecondFactor } from '../mfa/second-factor.ts';
import { cancelRemovalBySignIn } from '../mfa/removal.ts';
import type { AccountDeps } from './deps.ts';
import { startSession } from './session-start.ts';
import { lockAccount } from './lifecycle-queries.ts';
import type { SignedIn } from './sign-in-completion.ts';

export interface SecondStep {
  pending: PendingSignIn;
  /** A removal asked through recovery is waiting: the page says that signing in cancels it. */
  removalAt: Date | undefined;
}

/** The step this browser is on, or undefined when its pending sign-in is gone (expired, used). */
export async function secondStepOf(deps: AccountDeps, token: string | undefined): Promise<SecondStep | undefined> {
  const pending = await pendingSignInOf(deps, token);
  if (!pending) return undefined;
  return { pending, removalAt: (await secondFactorStatus(deps, pending.accountId)).removalAt };
}

export const stepExpired = () => new AppError('mfa.step_expired', { status: 410 });

/** What a finished second step answers: the session, and how many recovery codes are left. */
export interface SecondStepDone extends SignedIn {
  method: AuthMethod;
  recoveryCodesLeft: number;
}

/** An authenticator code or a recovery code typed on /login/second-factor. */
export async function finishWithCode(deps: AccountDeps, token: string | undefined, typed: string, meta: RequestMeta): Promise<SecondStepDone> {
  const pending = await pendingSignInOf(deps, token);
  if (!pending) throw stepExpired();
  try {
    await spendGuess(deps, pending.accountId, pending.id);
  } catch (error) {
    // Its guesses spent: this half sign-in is over; the person starts again with the first step.
    if (error instanceof AppError && error.code === 'mfa.too_many_tries') await abandonPendingSignIn(deps, pending);
    throw error;
  }
  const done = await deps.db.transaction().execute(async (tx) => {
    const method = await spendSecondFactor(tx, deps, pending.accountId, typed);
    if (!method) return undefined;
    return { method, session: await finishInTransaction(tx, deps, pending, method, meta) };
  });
  if (!done) return guessFailed(deps, pending.accountId, meta);
  await refundGuess(deps, pending.accountId, pending.id);
  const status = await secondFactorStatus(deps, pending.accountId);
  return { accountId: pending.accountId, session: done.session, method: done.method, recoveryCodesLeft: status.recoveryCodesLeft };
}

async function finishInTransaction(tx: Parameters<typeof startSession>[0], deps: AccountDeps, pending: PendingSignIn, second: AuthMethod, meta: RequestMeta) {
  // Used once: of two tabs submitting at once only one starts a session.
  if (!(await usePendingSignIn(tx, deps, pending))) throw stepExpired();
  // The account may have been suspended or deregistered since the first step (under its lock,
  // as suspension takes it): no session for it, and the person is told as at the first step.
  const account = await lockAccount(tx, pending.accountId);
  if (!account || (account.state !== 'active' && account.state !== 'needs_verification')) throw new AppError('login.account_unavailable', { status: 403 });
  // The owner still has the second factor: a removal asked through recovery is not wanted.
  await cancelRemovalBySignIn(tx, deps, pending.accountId, meta);
  return startSession(tx, deps, pending.accountId, meta, [pending.firstMethod, second]);
}

/**
 * The seam for a second factor proved elsewhere — a passkey of this account (passkeys/ verifies an
 * assertion restricted to `pendingSignInOf(...).accountId`), then calls this to start the session
 * with [first, 'passkey']. The proof's own checks and limits are the caller's.
 */
export async function finishWithSecondFactor(deps: AccountDeps, token: string | undefined, second: 'passkey', meta: RequestMeta): Promise<SignedIn> {
  const pending = await pendingSignInOf(deps, token);
  if (!pending) throw stepExpired();
  const session = await deps.db.transaction().execute((tx) => finishInTransaction(tx, deps, pending, second, meta));
  return { accountId: pending.accountId, session };
}
