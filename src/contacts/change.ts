// 更换/绑定手机号 and 邮箱 in account management. Needs a fresh sign-in; a code goes to the new
// phone or address (valid 1 day, as binding codes are); the change is refused when another
// account holds that contact (named masked), and an address must have no record of use on the
// site (seed 003 item 8). The old contact is told. A phone proved here also completes real-name
// binding for an owner who had none yet.
import { DAY } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { maskContact } from '../lib/mask.ts';
import { recordAudit } from '../audit/audit.ts';
import { checkTypedCode, issueCode, spendCode } from '../verification/service.ts';
import { CODE_PURPOSES, codeMessage, contactAdded, contactChanged } from '../notifications/templates/index.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { findIdentity } from '../identity/queries.ts';
import { bindRealName } from '../accounts/real-name.ts';
import type { CurrentSession } from '../sessions/service.ts';
import { type AccountDeps } from '../accounts/deps.ts';
import { assertEmailAvailable, assertPhoneAvailable } from './availability.ts';
import { otherChannelOf } from './notices.ts';
import * as q from '../accounts/queries.ts';
import { notifyPlatforms } from '../sso/platform-events.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { spendAskerLimits, spendTargetLimits } from '../verification/send-limits.ts';
import { assertFresh } from '../sessions/freshness.ts';

export type ContactChannel = 'phone' | 'email';

export const CONTACT_CODE_TTL_MS = DAY;
const purpose = (channel: ContactChannel) => `change_${channel}`;

type Session = Pick<CurrentSession, 'id' | 'accountId' | 'authenticatedAt'>;

async function assertMayUse(deps: AccountDeps, account: q.AccountRow, channel: ContactChannel, target: string): Promise<void> {
  if ((channel === 'phone' ? account.phone : account.email) === target) throw new AppError('settings.same_contact', { field: channel, status: 409 });
  if (channel === 'phone') await assertPhoneAvailable(deps.db, target);
  else await assertEmailAvailable(deps.db, target);
}

async function accountOf(deps: AccountDeps, session: Session): Promise<q.AccountRow> {
  const account = await q.findById(deps.db, session.accountId);
  if (!account) throw new AppError('sessions.not_found', { status: 404 });
  return account;
}

export async function sendContactChangeCode(deps: AccountDeps, session: Session, channel: ContactChannel, target: string, meta: RequestMeta) {
  assertFresh(deps, session);
  const account = await accountOf(deps, session);
  // Limits first: the availability answer (已经注册, masked owner) is a fact about other people,
  // so asking for it costs like sending a code does.
  await deps.limits.consume('contactCodesPerAccount', account.id);
  await spendAskerLimits(deps, meta.ip);
  await assertMayUse(deps, account, channel, target);
  await spendTargetLimits(deps, `${channel}:${target}`);
  await deps.db.transaction().execute(async (tx) => {
    const code = await issueCode(tx, deps.verification, purpose(channel), `${account.id}:${target}`, CONTACT_CODE_TTL_MS);
    await deps.outbox.enqueue(
      tx,
      codeMessage(channel === 'phone' ? 'sms' : 'email', target, code, CODE_PURPOSES[channel === 'phone' ? 'phoneChange' : 'emailChange']),
    );
  });
  deps.outbox.nudge();
  return { sentTo: maskContact(channel, target) };
}

/** Returns whether a proved contact was replaced (a change) or none was there (a binding). */
export async function changeContact(
  deps: AccountDeps,
  session: Session,
  channel: ContactChannel,
  target: string,
  code: string,
  meta: RequestMeta,
): Promise<{ replaced: boolean }> {
  assertFresh(deps, session);
  const account = await accountOf(deps, session);
  await assertMayUse(deps, account, channel, target);
  const ticket = await checkTypedCode(deps.db, deps.verification, deps.limits, meta.ip, {
    purpose: purpose(channel),
    target: `${account.id}:${target}`,
    code: code,
  });
  const now = deps.clock.now();
  const old = channel === 'phone' ? (account.phone_verified_at ? account.phone : null) : account.email_verified_at ? account.email : null;
  try {
    await deps.db.transaction().execute(async (tx) => {
      await spendCode(tx, deps.verification, ticket);
      await q.replaceContact(tx, account.id, channel, target, now);
      await notifyPlatforms(tx, deps.outbox, account.id, 'account.contact_changed', now, { channel });
      if (channel === 'email') await q.recordEmailUse(tx, target, account.id, now);
      // A proved phone completes real-name binding for an owner (a claimant waits for resolution).
      // (Without basic information yet, saving it later binds through this proved phone.)
      if (channel === 'phone' && !account.realname_bound_at && account.state === 'active' && (await findIdentity(tx, account.id))) {
        await bindRealName(tx, account.id, 'phone', now);
      }
      await recordAudit(tx, {
        action: old ? `account.${channel}_changed` : `account.${channel}_bound`,
        actor: { kind: 'account', id: account.id },
        accountId: account.id,
        ip: meta.ip,
        detail: { from: old ? maskContact(channel, old) : null, to: maskContact(channel, target) },
        at: now,
      });
      if (old) {
        await notifyContacts(
          tx,
          deps.outbox,
          channel === 'phone' ? { phone: old, email: null } : { phone: null, email: old },
          contactChanged(channel, maskContact(channel, old), maskContact(channel, target), now),
        );
      } else {
        await notifyContacts(tx, deps.outbox, otherChannelOf(account, channel), contactAdded(channel, maskContact(channel, target), now));
      }
    });
  } catch (error) {
    // Another account took the contact between the check and the write: say so as the check would.
    if (isUniqueViolation(error)) await assertMayUse(deps, account, channel, target);
    throw error;
  }
  deps.outbox.nudge();
  return { replaced: old !== null };
}
