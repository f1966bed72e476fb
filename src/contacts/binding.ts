// 实名信息绑定: after the basic information, the person binds a phone (code by SMS), which
// completes real-name binding, or an email address (code by email) for recovery; codes are valid
// one day. A contact registered or bound by another account
// is refused (named masked), and an address must have no record of use on the site.
import { DAY } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { maskContact } from '../lib/mask.ts';
import { recordAudit } from '../audit/audit.ts';
import { checkTypedCode, issueCode, spendCode } from '../verification/service.ts';
import { assertEmailAvailable, assertPhoneAvailable } from './availability.ts';
import { type AccountDeps } from '../accounts/deps.ts';
import { bindContact as setProvedContact, recordEmailUse } from '../accounts/queries.ts';
import { bindRealName } from '../accounts/real-name.ts';
import { otherChannelOf } from './notices.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { notifyPlatforms } from '../sso/platform-events.ts';
import type { SessionAccount } from '../sessions/service.ts';
import { CODE_PURPOSES, codeMessage, contactAdded } from '../notifications/templates/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { spendAskerLimits, spendTargetLimits } from '../verification/send-limits.ts';

/** Seed rule: binding codes are valid for one day. */
export const BINDING_CODE_TTL_MS = DAY;

export type Channel = 'phone' | 'email';
const purpose = (channel: Channel) => `bind_${channel}`;

function assertMayBind(account: SessionAccount): void {
  if (!account.identity) throw new AppError('binding.identity_first', { status: 409 });
  // A claimant binds only once the duplicate is resolved (seed 004 六).
  if (account.state === 'needs_verification') throw new AppError('binding.resolve_first', { status: 409 });
}

async function assertAvailable(deps: AccountDeps, account: SessionAccount, channel: Channel, target: string) {
  // Binding fills an empty or unproved slot only. Replacing a proved phone or address (the
  // account's username, maybe) is a change of contact: it needs the password again and a notice to
  // the old contact, which account management provides, not this step.
  const proved = channel === 'phone' ? account.phoneVerifiedAt : account.emailVerifiedAt;
  if (proved) throw new AppError('binding.already_bound', { status: 409 });
  if (channel === 'phone') await assertPhoneAvailable(deps.db, target);
  else if (account.email !== target) await assertEmailAvailable(deps.db, target);
}

export async function sendBindingCode(deps: AccountDeps, account: SessionAccount, channel: Channel, target: string, meta: RequestMeta) {
  assertMayBind(account);
  // The asker's limits before the availability answer (a fact about someone else), the target's after.
  await spendAskerLimits(deps, meta.ip);
  await assertAvailable(deps, account, channel, target);
  await spendTargetLimits(deps, `${channel}:${target}`);
  await deps.db.transaction().execute(async (tx) => {
    const code = await issueCode(tx, deps.verification, purpose(channel), `${account.id}:${target}`, BINDING_CODE_TTL_MS);
    await deps.outbox.enqueue(tx, codeMessage(channel === 'phone' ? 'sms' : 'email', target, code, CODE_PURPOSES.binding));
  });
  deps.outbox.nudge();
  return { sentTo: maskContact(channel, target) };
}

export async function bindContact(deps: AccountDeps, account: SessionAccount, channel: Channel, target: string, code: string, meta: RequestMeta) {
  assertMayBind(account);
  await assertAvailable(deps, account, channel, target);
  const ticket = await checkTypedCode(deps.db, deps.verification, deps.limits, meta.ip, {
    purpose: purpose(channel),
    target: `${account.id}:${target}`,
    code: code,
  });
  const now = deps.clock.now();
  try {
    await deps.db.transaction().execute(async (tx) => {
      await spendCode(tx, deps.verification, ticket);
      if (!(await setProvedContact(tx, account.id, channel, target, now))) throw new AppError('binding.already_bound', { status: 409 });
      await notifyPlatforms(tx, deps.outbox, account.id, 'account.contact_changed', now, { channel });
      // The other proved contact hears of it: whoever holds the account's phone learns an
      // address was added, and the other way round.
      const proved = { phone: account.phone, email: account.email, phone_verified_at: account.phoneVerifiedAt, email_verified_at: account.emailVerifiedAt };
      const masked = maskContact(channel, target);
      await notifyContacts(tx, deps.outbox, otherChannelOf(proved, channel), contactAdded(channel, masked, now));
      if (channel === 'email') await recordEmailUse(tx, target, account.id, now);
      // A proved phone completes real-name binding; an address is for recovery and notices.
      if (channel === 'phone' && !account.realnameBoundAt) await bindRealName(tx, account.id, 'phone', now);
      await recordAudit(tx, { action: `identity.bound_${channel}`, actor: { kind: 'account', id: account.id }, accountId: account.id, ip: meta.ip, at: now });
    });
  } catch (error) {
    if (isUniqueViolation(error)) await assertAvailable(deps, account, channel, target);
    throw error;
  }
}
