// Seed 003 item 7: after finding the username or the password again, WeChat or Alipay login can
// be bound only 2 hours later. Both times are recorded on the account (a password set through
// 找回密码, a username reminder sent to it); binding (social/) asks assertSocialBindingAllowed,
// and the security page shows when it opens again.
import { AppError } from '../lib/errors.ts';
import { HOUR } from '../lib/clock.ts';
import { formatBeijing } from '../lib/time-format.ts';

export const SOCIAL_BINDING_PAUSE_MS = 2 * HOUR;

/** The account's two recovery times (either starts the pause). */
export interface RecoveryTimes {
  password_recovered_at: Date | null;
  username_recovered_at: Date | null;
}

/** When binding opens again, or null when it is open now. */
export function socialBindingBlockedUntil(account: RecoveryTimes, now: Date): Date | null {
  const last = Math.max(account.password_recovered_at?.getTime() ?? 0, account.username_recovered_at?.getTime() ?? 0);
  if (last === 0) return null;
  const until = new Date(last + SOCIAL_BINDING_PAUSE_MS);
  return until.getTime() > now.getTime() ? until : null;
}

export function assertSocialBindingAllowed(account: RecoveryTimes, now: Date): void {
  const until = socialBindingBlockedUntil(account, now);
  if (until) throw new AppError('social.recently_recovered', { status: 403, params: { until: formatBeijing(until) } });
}
