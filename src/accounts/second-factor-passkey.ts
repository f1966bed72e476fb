// The second step with a passkey: on /login/second-factor, an account with passkeys may answer
// with one of them instead of a code. The assertion is verified restricted to the pending
// account's own passkeys (passkeys/authentication.ts), and each try is counted against the pending
// sign-in's and the account's second-factor guesses as a typed code is (mfa/second-factor.ts),
// given back when it verified. Success starts the session with [first, 'passkey'].
import { recordAudit } from '../audit/audit.ts';
import { AppError } from '../lib/errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { PasskeyDeps } from '../passkeys/deps.ts';
import { passkeyChallengeFor, verifyPasskeyFor } from '../passkeys/authentication.ts';
import { passkeysOf } from '../passkeys/management.ts';
import { abandonPendingSignIn, pendingSignInOf } from '../mfa/pending.ts';
import { refundGuess, spendGuess } from '../mfa/second-factor.ts';
import type { AccountDeps } from './deps.ts';
import { finishWithSecondFactor, stepExpired } from './second-factor-sign-in.ts';
import type { SignedIn } from './sign-in-completion.ts';

/** What the step page tells of a refused passkey, in the step's own words. */
const STEP_MESSAGES: Partial<Record<MessageKey, MessageKey>> = {
  'passkeys.unknown': 'mfa_passkey.not_yours',
  'passkeys.not_verified': 'mfa_passkey.not_verified',
};

/** Whether the pending account has a passkey to offer on the step page. */
export async function hasPasskeys(deps: AccountDeps, accountId: string): Promise<boolean> {
  return (await passkeysOf(deps, accountId)).length > 0;
}

/** Options for navigator.credentials.get() listing the pending account's passkeys only. */
export async function stepPasskeyOptions(deps: AccountDeps, passkeys: PasskeyDeps, token: string | undefined, browser: string, meta: RequestMeta) {
  const pending = await pendingSignInOf(deps, token);
  if (!pending) throw stepExpired();
  const options = await passkeyChallengeFor(passkeys, pending.accountId, browser, meta);
  if (!options) throw new AppError('mfa_passkey.none', { status: 409 });
  return options;
}

/** The browser's answer on the step page: the session, once it verified for the pending account. */
export async function finishWithPasskey(
  deps: AccountDeps,
  passkeys: PasskeyDeps,
  token: string | undefined,
  browser: string,
  credential: string | undefined,
  meta: RequestMeta,
): Promise<SignedIn> {
  const pending = await pendingSignInOf(deps, token);
  if (!pending) throw stepExpired();
  try {
    await spendGuess(deps, pending.accountId, pending.id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'mfa.too_many_tries') await abandonPendingSignIn(deps, pending);
    throw error;
  }
  try {
    await verifyPasskeyFor(passkeys, pending.accountId, browser, credential, meta);
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'login.account_unavailable') throw error;
    // Someone past the first step failed the second: the account's log shows it as a warning.
    await recordAudit(deps.db, { action: 'mfa.code_failed', actor: { kind: 'anonymous' }, accountId: pending.accountId, ip: meta.ip, at: deps.clock.now() });
    const code = STEP_MESSAGES[error.code];
    throw code ? new AppError(code, { status: error.status }) : error;
  }
  await refundGuess(deps, pending.accountId, pending.id);
  return finishWithSecondFactor(deps, token, 'passkey', meta);
}
