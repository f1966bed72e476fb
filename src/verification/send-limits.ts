// The limits every code or link sender passes, in two parts. The asker's (per IP) come before any
// "is this number taken" answer, since that answer is a fact about someone else; the target's (60 s
// and daily per phone or address, per number block for phones, and the global rates) come once a
// code is really going out. A sender anyone can use without an account (registration) also asks
// for a captcha once an IP has had its first few SMS.
import type { LimitName, RateLimits } from '../security/rate-limits.ts';

type Limited = { limits: RateLimits };

export async function spendAskerLimits(deps: Limited, ip: string): Promise<void> {
  await deps.limits.consume('codesPerIp', ip);
}

/** The number block of a mainland mobile number (`phone:13812345678` → 1381234). */
const phoneBlock = (target: string) => /^phone:(\d{7})\d{4}$/.exec(target)?.[1];

/** The service-wide rates every message spends (per minute and per day). */
export async function spendGlobalLimits(deps: Limited): Promise<void> {
  await deps.limits.consume('codesGlobal', 'all');
  await deps.limits.consume('codesGlobalDaily', 'all');
}

/** The key a phone's number block is counted under (the number itself when it has no block). */
export const phoneBlockOf = (phone: string) => phoneBlock(`phone:${phone}`) ?? phone;

/**
 * The target's own limits first, then the shared ones (number block, service-wide): a request the
 * target's limits refuse spends nothing others share — else asking one number too often would use
 * up its whole block's hour — and one the shared ones refuse gives the target's points back.
 */
export async function spendTargetLimits(deps: Limited, target: string, own: TargetLimits = SHARED_TARGET_LIMITS): Promise<void> {
  await deps.limits.consume(own.resend, target);
  try {
    await deps.limits.consume(own.daily, target);
  } catch (error) {
    await deps.limits.refund(own.resend, target);
    throw error;
  }
  try {
    const block = phoneBlock(target);
    if (block) await deps.limits.consume('codesPerPhonePrefix', block);
    await spendGlobalLimits(deps);
  } catch (error) {
    await deps.limits.refund(own.resend, target);
    await deps.limits.refund(own.daily, target);
    throw error;
  }
}

/** The target's own two counts: the wait between two codes and the day's number. */
export interface TargetLimits {
  resend: LimitName;
  daily: LimitName;
}
/** What every code to a phone or address counts against, unless its sender keeps its own. */
const SHARED_TARGET_LIMITS: TargetLimits = { resend: 'codeResendPerTarget', daily: 'codesPerTargetDaily' };

export async function spendCodeSendLimits(deps: Limited, target: string, ip: string, own?: TargetLimits): Promise<void> {
  await spendAskerLimits(deps, ip);
  await spendTargetLimits(deps, target, own);
}

/** Counts one message to a recipient against its daily limit; false once it is spent. */
export async function withinRecipientLimit(deps: Limited, recipient: string): Promise<boolean> {
  return (await deps.limits.count('codesPerTargetDaily', recipient)) <= deps.limits.policy.codesPerTargetDaily.points;
}

/**
 * Counts an anonymous SMS request from an IP (before anything else happens, so a burst cannot
 * outrun it); true when this one needs a captcha.
 */
export async function anonymousSmsNeedsCaptcha(deps: Limited, ip: string): Promise<boolean> {
  return (await deps.limits.count('smsSendsBeforeCaptcha', ip)) > deps.limits.policy.smsSendsBeforeCaptcha.points;
}

/** Whether the next anonymous SMS request from an IP will need a captcha (the page shows it). */
export async function nextAnonymousSmsNeedsCaptcha(deps: Limited, ip: string): Promise<boolean> {
  return (await deps.limits.spent('smsSendsBeforeCaptcha', ip)) >= deps.limits.policy.smsSendsBeforeCaptcha.points;
}
