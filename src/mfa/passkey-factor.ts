// A passkey as a person's second factor. Whenever an account has a second factor, a passkey of
// that account passes the sign-in step (accounts/second-factor-passkey-routes.tsx); this file adds
// the "passkey way": turning the second factor on with passkeys alone, for someone without an
// authenticator app, and turning it off with a passkey instead of a code.
//
//   off ──turned on (fresh sign-in, ≥1 passkey; recovery codes shown once)──▶ on (passkey way)
//   on ──turned off (fresh sign-in + a passkey or a recovery code), or a removal through
//        recovery falls due (removal.ts)──▶ off
// The last passkey of an account whose only second factor is the passkey way cannot be removed
// (refuseRemovingLastPasskey, called by passkeys/ in its removal's transaction): otherwise a
// sign-in would be left with recovery codes alone, which people rarely keep. Adding another
// passkey or an authenticator app, or turning the second factor off, lets it go.
// Each change locks the account row first (the same lock a passkey's removal takes), so turning
// on and removing the last passkey cannot cross.
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/client.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { AppError } from '../lib/errors.ts';
import type { PasskeyDeps } from '../passkeys/deps.ts';
import { passkeysOf } from '../passkeys/management.ts';
import { passkeyChallengeFor, verifyPasskeyFor } from '../passkeys/authentication.ts';
import type { MfaDeps } from './deps.ts';
import { passkeyWayEnabled } from './notices.ts';
import { changed, newCodes, refundGuess, spendGuess, turnOffInTransaction } from './second-factor.ts';
import * as q from './queries.ts';

/** Turns the second factor on with the account's passkeys; the recovery codes are answered once. */
export async function enablePasskeyWay(deps: MfaDeps, accountId: string, meta: RequestMeta): Promise<string[]> {
  const now = deps.clock.now();
  const codes = await deps.db.transaction().execute(async (tx) => {
    await q.lockAccount(tx, accountId);
    if (await q.secondFactorOn(tx, accountId)) throw new AppError('mfa.already_on', { status: 409 });
    if ((await passkeysOf({ db: tx }, accountId)).length === 0) throw new AppError('mfa_passkey.none', { status: 409 });
    if (!(await q.enablePasskeyFactor(tx, accountId, now))) throw new AppError('mfa.already_on', { status: 409 });
    const made = await newCodes(tx, deps, accountId, now);
    await changed(tx, deps, accountId, 'mfa.passkey_enabled', passkeyWayEnabled(now), meta, now);
    return made;
  });
  deps.outbox.nudge();
  return codes;
}

/** Options for confirming with a passkey on the settings page (turning it off). */
export async function passkeyConfirmOptions(passkeys: PasskeyDeps, accountId: string, browser: string, meta: RequestMeta) {
  const options = await passkeyChallengeFor(passkeys, accountId, browser, meta);
  if (!options) throw new AppError('mfa_passkey.none', { status: 409 });
  return options;
}

/**
 * Turning the second factor off with a passkey of the account (besides the fresh sign-in). A
 * refused answer is counted against the account's second-factor guesses, like a wrong code.
 */
export async function disableWithPasskey(
  deps: MfaDeps,
  passkeys: PasskeyDeps,
  accountId: string,
  browser: string,
  credential: string | undefined,
  meta: RequestMeta,
): Promise<void> {
  if (!(await q.secondFactorOn(deps.db, accountId))) throw new AppError('mfa.not_on', { status: 409 });
  await spendGuess(deps, accountId);
  try {
    await verifyPasskeyFor(passkeys, accountId, browser, credential, meta);
  } catch (error) {
    // As a wrong code here would be: the account's log shows it as a warning.
    if (error instanceof AppError) {
      await recordAudit(deps.db, { action: 'mfa.code_failed', actor: { kind: 'account', id: accountId }, accountId, ip: meta.ip, at: deps.clock.now() });
    }
    throw error;
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await q.lockAccount(tx, accountId);
    if (!(await q.secondFactorOn(tx, accountId))) throw new AppError('mfa.not_on', { status: 409 });
    await turnOffInTransaction(tx, deps, accountId, meta, now);
  });
  await refundGuess(deps, accountId);
  deps.outbox.nudge();
}

/**
 * Called by passkeys/ in the transaction that removes a passkey (the account row already locked),
 * with how many of the account's passkeys would remain: refuses removing the last one while the
 * passkey way is the account's only second factor.
 */
export async function refuseRemovingLastPasskey(tx: Executor, accountId: string, remaining: number): Promise<void> {
  if (remaining > 0) return;
  if ((await q.totpOf(tx, accountId))?.enabled_at) return;
  if (await q.passkeyFactorOf(tx, accountId)) throw new AppError('mfa_passkey.last_passkey', { status: 409 });
}
