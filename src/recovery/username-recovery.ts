// 找回用户名: name + document type + number + image captcha. The usernames of the live accounts
// holding that name and number go to each account's own bound phone (or, without one, its email).
// The page answers the same whatever matched; only the owner of the phone or mailbox learns more.
import { recordAudit } from '../audit/audit.ts';
import { requireCaptcha, type CaptchaAnswer } from '../captcha/service.ts';
import { indexOf, validateIdentityFields } from '../identity/service.ts';
import type { IdType } from '../identity/id-numbers/index.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { usernameReminder } from '../notifications/templates/index.ts';
import * as q from './queries.ts';
import * as accounts from '../accounts/queries.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { withinRecipientLimit } from '../verification/send-limits.ts';
import { displayUsername } from '../accounts/account-view.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import type { Message } from '../i18n/index.ts';

/** A refusal's field messages (rethrown when it is not about fields). */
function fieldErrorsOf(error: unknown): Record<string, Message> {
  if (error instanceof ValidationError) return error.fields as Record<string, Message>;
  if (error instanceof AppError && error.field) return { [error.field]: { code: error.code, params: error.params } };
  throw error;
}

export interface UsernameRecoveryInput {
  name: string;
  idType: IdType;
  idNumber: string;
  captcha: CaptchaAnswer;
}

export async function remindUsernames(deps: AccountDeps, input: UsernameRecoveryInput, meta: RequestMeta): Promise<void> {
  // The name and number's own form first (no look-up: it reveals nothing), then the captcha, and
  // their problems reported together: one refused submission shows every field that is wrong.
  let fields: ReturnType<typeof validateIdentityFields> | undefined;
  let fieldProblems: Record<string, Message> = {};
  try {
    fields = validateIdentityFields(input, deps.clock.now());
  } catch (error) {
    fieldProblems = fieldErrorsOf(error);
  }
  try {
    await requireCaptcha(deps.captcha, input.captcha, 'recover_username', meta.ip);
  } catch (error) {
    if (Object.keys(fieldProblems).length && error instanceof AppError && error.field) throw new ValidationError({ ...fieldProblems, ...fieldErrorsOf(error) });
    throw error;
  }
  if (!fields) throw new ValidationError(fieldProblems);
  const { name, id } = fields;
  await deps.limits.consume('recoveryPerIp', meta.ip);
  await deps.limits.consume('usernameRemindersPerId', `id:${id.type}:${id.canonical}`);

  const holders = (await q.liveAccountsWithIdIndex(deps.db, indexOf(deps.identity.keys, id))).filter((a) => a.name === name);
  // Each message counts against its recipient's daily limit (silently skipped past it); with no
  // match one count is made all the same, so both cases do the same work.
  const deliveries = await Promise.all(
    holders.map(async (holder) => {
      const channel = holder.phone && holder.phone_verified_at ? ('sms' as const) : holder.email && holder.email_verified_at ? ('email' as const) : undefined;
      const to = channel === 'sms' ? holder.phone! : channel === 'email' ? holder.email! : undefined;
      const allowed = channel ? await withinRecipientLimit(deps, `${channel === 'sms' ? 'phone' : 'email'}:${to}`) : true;
      return { holder, channel: allowed ? channel : undefined, to, limited: !allowed };
    }),
  );
  if (holders.length === 0) await withinRecipientLimit(deps, `username-unsent:id:${id.type}:${id.canonical}`);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    for (const { holder, channel, to, limited } of deliveries) {
      if (channel && to) {
        await deps.outbox.enqueue(tx, usernameReminder(channel, to, displayUsername(holder), holder.realname_bound_at !== null));
        // The username was recovered: WeChat/Alipay binding waits 2 hours (seed 003 item 7).
        await accounts.markUsernameRecovered(tx, holder.id, now);
      }
      await recordAudit(tx, {
        action: channel ? 'recovery.username_sent' : limited ? 'recovery.username_limited' : 'recovery.username_no_contact',
        actor: { kind: 'anonymous' },
        accountId: holder.id,
        ip: meta.ip,
        detail: channel ? { channel } : {},
        at: now,
      });
    }
    // Written whether or not anything matched: the same work either way, and a trace for support.
    await recordAudit(tx, { action: 'recovery.username_requested', actor: { kind: 'anonymous' }, ip: meta.ip, detail: { matched: holders.length }, at: now });
  });
  // No nudge: the worker's next poll sends it. Waking the worker only when something matched would
  // make the moments after a matching request slower, and that difference can be measured.
}
