// Seed 003 item 7: after finding the username and password again, WeChat or Alipay login can be
// bound only 2 hours later. The recovery time is recorded now; social login (later work) calls
// assertSocialBindingAllowed before binding, and the security page shows when it opens again.
import { AppError } from '../lib/errors.ts';
import { HOUR } from '../lib/clock.ts';
import { formatBeijing } from '../lib/time-format.ts';

export const SOCIAL_BINDING_PAUSE_MS = 2 * HOUR;

/** When binding opens again, or null when it is open now. */
export function socialBindingBlockedUntil(passwordRecoveredAt: Date | null, now: Date): Date | null {
  if (!passwordRecoveredAt) return null;
  const until = new Date(passwordRecoveredAt.getTime() + SOCIAL_BINDING_PAUSE_MS);
  return until.getTime() > now.getTime() ? until : null;
}

export function assertSocialBindingAllowed(account: { password_recovered_at: Date | null }, now: Date): void {
  const until = socialBindingBlockedUntil(account.password_recovered_at, now);
  if (until) throw new AppError('social.recently_recovered', { status: 403, params: { until: formatBeijing(until) } });
}
