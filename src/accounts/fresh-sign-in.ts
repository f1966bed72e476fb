// Sensitive settings (changing the phone or email that recover the account) need the password
// typed within the last few minutes, so a session left open on a shared computer cannot take
// the account over. Wrong passwords here are limited per account: a stolen session cannot guess.
import { AppError, RateLimitedError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { markSessionAuthenticated, type CurrentSession } from '../sessions/service.ts';
import type { AccountDeps } from './deps.ts';
import * as q from './queries.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { confirmSecondFactor, hasSecondFactor } from '../mfa/second-factor.ts';

/**
 * Checks the account's current password (answering the account it read), counting wrong ones against the account (5 per 15
 * minutes, then a 15-minute block). Throws the field error the form shows.
 */
export async function verifyCurrentPassword(
  deps: AccountDeps,
  accountId: string,
  password: string,
  meta: RequestMeta,
  failureAction: 'session.password_confirm_failed' | 'account.password_change_failed' = 'session.password_confirm_failed',
): Promise<q.AccountRow> {
  // Counted before the password is checked and given back when it is right, as at sign-in: a
  // burst of parallel guesses then sees the ones before it and cannot outrun the limit.
  const rule = deps.limits.policy.passwordConfirmFailures;
  const attempt = await deps.limits.count('passwordConfirmFailures', accountId);
  if (attempt > rule.points) throw new RateLimitedError(await deps.limits.retryAfter('passwordConfirmFailures', accountId));
  const account = await q.findById(deps.db, accountId);
  if (account && (await deps.hasher.verify(account.password_hash, password))) {
    await deps.limits.refund('passwordConfirmFailures', accountId);
    return account;
  }
  // The fifth wrong password blocks at once, so the sixth try is already refused.
  if (attempt >= rule.points) await deps.limits.block('passwordConfirmFailures', accountId, rule.blockSeconds ?? rule.durationSeconds);
  await recordAudit(deps.db, { action: failureAction, actor: { kind: 'account', id: accountId }, accountId, ip: meta.ip, at: deps.clock.now() });
  throw new AppError('settings.password_wrong', { field: 'currentPassword' });
}

/** Whether 确认密码 asks for a second-factor code besides the password. */
export const confirmationAsksCode = (deps: AccountDeps, accountId: string) => hasSecondFactor(deps, accountId);

/**
 * 确认密码: the password again (and, on an account with a second factor, a code), which makes
 * this session fresh for the next few minutes.
 */
export async function confirmPassword(
  deps: AccountDeps,
  session: Pick<CurrentSession, 'id' | 'accountId'>,
  input: { password: string; code?: string | undefined },
  meta: RequestMeta,
): Promise<void> {
  await verifyCurrentPassword(deps, session.accountId, input.password, meta);
  if (await hasSecondFactor(deps, session.accountId)) await confirmSecondFactor(deps, session.accountId, input.code ?? '', meta);
  await deps.db.transaction().execute(async (tx) => {
    await markSessionAuthenticated(tx, deps.sessions, session.id);
    await recordAudit(tx, {
      action: 'session.reauthenticated',
      actor: { kind: 'account', id: session.accountId },
      accountId: session.accountId,
      ip: meta.ip,
      at: deps.clock.now(),
    });
  });
}
