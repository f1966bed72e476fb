// The limits every code or link sender passes, in two parts. The asker's (per IP) come before any
// "is this number taken" answer, since that answer is a fact about someone else; the target's (60 s
// and daily per phone or address, and the global rate) come once a code is really going out.
import type { RateLimits } from '../security/rate-limits.ts';

type Limited = { limits: RateLimits };

export async function spendAskerLimits(deps: Limited, ip: string): Promise<void> {
  await deps.limits.consume('codesPerIp', ip);
}

export async function spendTargetLimits(deps: Limited, target: string): Promise<void> {
  await deps.limits.consume('codesGlobal', 'all');
  await deps.limits.consume('codeResendPerTarget', target);
  await deps.limits.consume('codesPerTargetDaily', target);
}

export async function spendCodeSendLimits(deps: Limited, target: string, ip: string): Promise<void> {
  await spendAskerLimits(deps, ip);
  await spendTargetLimits(deps, target);
}

/** Counts one message to a recipient against its daily limit; false once it is spent. */
export async function withinRecipientLimit(deps: Limited, recipient: string): Promise<boolean> {
  return (await deps.limits.count('codesPerTargetDaily', recipient)) <= deps.limits.policy.codesPerTargetDaily.points;
}
