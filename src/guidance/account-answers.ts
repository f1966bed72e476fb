// The assistant's AnswerSource for a signed-in person: the question's intents (intents.ts), each
// answered from the facts of their own account only — its real-name state and the platforms that
// require one, its duplicate-ID case (photo review, classmates, 途径4 tries), the 2-hour pause
// after a recovery, and the outbox's latest messages to its own phone and address with the send
// limits that stand now. Nothing is read about any other account: the case's other holders are
// not named (not even masked), messages are looked up by the account's own contacts only, and a
// message's text (which may hold a code) is never read. An anonymous question gets nothing here;
// the articles answer it. Answers are in the question's language, as the articles' are.
import type { AnswerPassage, AnswerSource, AssistantQuestion } from '../help/assistant.ts';
import { looksChinese } from '../help/tokenize.ts';
import { translator, type Lang, type MessageKey, type MessageParams, type Translate } from '../i18n/index.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { findById, type AccountRow } from '../accounts/queries.ts';
import { socialBindingBlockedUntil } from '../accounts/social-binding-policy.ts';
import { realnameStatus } from '../sso/claims.ts';
import type { Inbox } from '../inbox/service.ts';
import { resolutionOverview } from '../resolution/service.ts';
import { latestPhotoReview } from '../resolution/photo-path.ts';
import { REJECTION_REASONS, REJECTION_REASONS_EN, type RejectionReason } from '../resolution/photo-review.ts';
import { vouchProgress, type VouchSettings } from '../resolution/classmate-path.ts';
import { DAY, HOUR } from '../lib/clock.ts';
import { formatBeijing } from '../lib/time-format.ts';
import { maskEmail, maskPhone } from '../lib/mask.ts';
import { intentsOf, type Intent } from './intents.ts';
import * as q from './queries.ts';

export const ACCOUNT_SOURCE = 'account';

export interface GuidanceDeps {
  accounts: AccountDeps;
  inbox: Inbox;
  vouch: VouchSettings;
}

/** What one answer says: its heading and its sentences, as messages. */
interface Said {
  heading: MessageKey;
  lines: Array<{ key: MessageKey; params?: MessageParams }>;
}

interface Context {
  deps: GuidanceDeps;
  account: AccountRow;
  lang: Lang;
  t: Translate;
  now: Date;
  time: (d: Date) => string;
}

export function accountAnswerSource(deps: GuidanceDeps): AnswerSource {
  return {
    name: ACCOUNT_SOURCE,
    async answer(question: AssistantQuestion): Promise<AnswerPassage[]> {
      if (!question.accountId) return [];
      const intents = intentsOf(question.text);
      if (intents.length === 0) return [];
      const account = await findById(deps.accounts.db, question.accountId);
      if (!account) return [];
      const lang: Lang = looksChinese(question.text) ? 'zh-CN' : 'en';
      const t = translator(lang);
      const ctx: Context = { deps, account, lang, t, now: deps.accounts.clock.now(), time: (d) => formatBeijing(d, lang) };
      const said = await Promise.all(intents.map((intent) => ANSWERS[intent](ctx)));
      return said.map((s) => passage(t, lang, s));
    },
  };
}

const ANSWERS: Record<Intent, (ctx: Context) => Promise<Said>> = {
  platform_refused: platformAnswer,
  duplicate_case: caseAnswer,
  records_tries: recordsAnswer,
  binding_pause: bindingAnswer,
  code_missing: codesAnswer,
};

function passage(t: Translate, lang: Lang, said: Said): AnswerPassage {
  const lines = said.lines.map((line) => t(line.key, line.params));
  return {
    source: ACCOUNT_SOURCE,
    heading: t(said.heading),
    // One paragraph for the chat, which shows text only (Chinese sentences need no space between);
    // a paragraph each on the answer page.
    text: lines.join(lang === 'en' ? ' ' : ''),
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Why a platform refuses: the account's real-name state against the platforms that require one. */
async function platformAnswer({ deps, account, t }: Context): Promise<Said> {
  const heading = 'guidance.heading.platform';
  if (account.state === 'suspended') return { heading, lines: [{ key: 'guidance.platform.suspended' }] };
  const status = realnameStatus(account);
  if (status === 'verified') return { heading, lines: [{ key: 'guidance.platform.verified' }] };
  const platforms = (await q.platformsRequiringRealname(deps.accounts.db)).join(t('guidance.codes.and'));
  if (status === 'needs_verification') return { heading, lines: [{ key: 'guidance.platform.needs_verification', params: { platforms } }] };
  return { heading, lines: [platforms ? { key: 'guidance.platform.unverified', params: { platforms } } : { key: 'guidance.platform.unverified_none' }] };
}

/** The duplicate-ID case: where each path the person started stands, with its dates. */
async function caseAnswer(ctx: Context): Promise<Said> {
  const { deps, account, lang, now, time } = ctx;
  const heading = 'guidance.heading.case';
  const overview = await resolutionOverview(deps.accounts, account.id, account.state);
  if (overview.state !== 'needs_verification') {
    return {
      heading,
      lines: [
        overview.resolution ? { key: 'guidance.case.resolved', params: { time: time(overview.resolution.passedAt) } } : { key: 'guidance.case.not_needed' },
      ],
    };
  }
  const lines: Said['lines'] = [{ key: 'guidance.case.open' }];
  const review = await latestPhotoReview(deps.accounts, account.id);
  if (review?.state === 'pending') {
    const params = {
      submitted: time(review.submittedAt),
      days: Math.floor((now.getTime() - review.submittedAt.getTime()) / DAY),
      due: time(review.expectedBy),
    };
    lines.push({ key: review.expectedBy.getTime() < now.getTime() ? 'guidance.case.photo_late' : 'guidance.case.photo_pending', params });
  } else if (review?.state === 'rejected') {
    lines.push({ key: 'guidance.case.photo_rejected', params: { submitted: time(review.submittedAt), reason: rejectionReason(review.reason, lang) } });
  }
  const vouches = await vouchProgress(deps.accounts, deps.inbox, deps.vouch, account.id);
  if (vouches.openCase?.state === 'waiting') lines.push({ key: 'guidance.case.notice', params: { until: time(vouches.openCase.takesEffectAt) } });
  else if (vouches.openCase?.state === 'objected') lines.push({ key: 'guidance.case.objected' });
  else if (vouches.latestState !== undefined || vouches.confirmed > 0) {
    lines.push({ key: 'guidance.case.classmates', params: { confirmed: vouches.confirmed, needed: vouches.needed } });
  }
  const tries = overview.recordTries;
  if (tries.used > 0) lines.push({ key: 'guidance.case.records', params: { used: tries.used, left: Math.max(0, tries.max - tries.used) } });
  if (lines.length === 1) lines.push({ key: 'guidance.case.nothing_started' });
  return { heading, lines };
}

function rejectionReason(reason: string | null, lang: Lang): string {
  const known = reason && Object.hasOwn(REJECTION_REASONS, reason) ? (reason as RejectionReason) : undefined;
  if (!known) return lang === 'en' ? 'see the notice we sent you' : '详见发给您的通知';
  return lang === 'en' ? REJECTION_REASONS_EN[known] : REJECTION_REASONS[known];
}

/** 途径4: the tries the account's ID number has used and has left. */
async function recordsAnswer({ deps, account }: Context): Promise<Said> {
  const heading = 'guidance.heading.records';
  const overview = await resolutionOverview(deps.accounts, account.id, account.state);
  if (overview.state !== 'needs_verification') return { heading, lines: [{ key: 'guidance.records.not_needed' }] };
  const { used, max } = overview.recordTries;
  const left = Math.max(0, max - used);
  return {
    heading,
    lines: [left > 0 ? { key: 'guidance.records.left', params: { used, left, max } } : { key: 'guidance.records.none_left', params: { max } }],
  };
}

/** The 2-hour pause after finding the password or the username again. */
async function bindingAnswer({ account, now, time }: Context): Promise<Said> {
  const heading = 'guidance.heading.binding';
  const until = socialBindingBlockedUntil(account, now);
  if (!until) return { heading, lines: [{ key: 'guidance.binding.open' }] };
  const password = account.password_recovered_at?.getTime() ?? 0;
  const username = account.username_recovered_at?.getTime() ?? 0;
  const byPassword = password >= username;
  return {
    heading,
    lines: [
      {
        key: byPassword ? 'guidance.binding.paused_password' : 'guidance.binding.paused_username',
        params: { at: time(new Date(byPassword ? password : username)), until: time(until) },
      },
    ],
  };
}

/** Messages looked at: a code asked for a while ago and not arrived is among the last few. */
const RECENT_MESSAGES = 5;

/** Why a code did not arrive: the latest message to each own contact, and the limits in force now. */
async function codesAnswer({ deps, account, t, time }: Context): Promise<Said> {
  const heading = 'guidance.heading.codes';
  // Only contacts the account proved: an address typed at an unfinished registration may be
  // someone else's, and its messages are not this person's to read about.
  const contacts = [
    ...(account.phone && account.phone_verified_at
      ? [{ channel: 'sms' as const, value: account.phone, masked: maskPhone(account.phone), key: `phone:${account.phone}` }]
      : []),
    ...(account.email && account.email_verified_at
      ? [{ channel: 'email' as const, value: account.email, masked: maskEmail(account.email), key: `email:${account.email}` }]
      : []),
  ];
  if (contacts.length === 0) return { heading, lines: [{ key: 'guidance.codes.no_contacts' }] };
  const messages = await q.latestMessagesTo(
    deps.accounts.db,
    contacts.map((c) => c.value),
    RECENT_MESSAGES,
  );
  const lines: Said['lines'] = [];
  for (const contact of contacts) {
    const latest = messages.find((m) => m.channel === contact.channel && m.recipient === contact.value);
    if (latest) lines.push(messageLine(latest, contact.masked, t, time));
  }
  if (lines.length === 0) lines.push({ key: 'guidance.codes.none', params: { targets: contacts.map((c) => c.masked).join(t('guidance.codes.and')) } });
  const { limits } = deps.accounts;
  for (const contact of contacts) {
    const daily = Math.max(await limits.retryAfter('codesPerTargetDaily', contact.key), await limits.retryAfter('signInCodesPerPhoneDaily', contact.key));
    if (daily > 0) {
      lines.push({
        key: 'guidance.codes.daily_cap',
        params: { target: contact.masked, max: limits.policy.codesPerTargetDaily.points, hours: Math.max(1, Math.ceil((daily * 1000) / HOUR)) },
      });
      continue;
    }
    const shared = await limits.retryAfter('codeResendPerTarget', contact.key);
    const signIn = await limits.retryAfter('signInCodeResendPerPhone', contact.key);
    if (shared > 0 || signIn > 0) {
      const rule = shared >= signIn ? limits.policy.codeResendPerTarget : limits.policy.signInCodeResendPerPhone;
      lines.push({ key: 'guidance.codes.resend_wait', params: { target: contact.masked, seconds: Math.max(shared, signIn), window: rule.durationSeconds } });
    }
  }
  return { heading, lines };
}

function messageLine(message: q.OutboxFact, target: string, t: Translate, time: (d: Date) => string): Said['lines'][number] {
  const base = { target, kind: t(message.channel === 'sms' ? 'guidance.codes.kind_sms' : 'guidance.codes.kind_email'), time: time(message.created_at) };
  switch (message.state) {
    case 'sent':
      return { key: 'guidance.codes.sent', params: { ...base, time: time(message.sent_at ?? message.created_at) } };
    case 'sending':
      return { key: 'guidance.codes.sending', params: base };
    case 'failed':
      return { key: 'guidance.codes.failed', params: { ...base, why: t(errorCategory(message.last_error)) } };
    default:
      return message.last_error
        ? {
            key: 'guidance.codes.retrying',
            params: { ...base, why: t(errorCategory(message.last_error)), next: time(message.next_attempt_at), attempts: message.attempts },
          }
        : { key: 'guidance.codes.queued', params: base };
  }
}

/**
 * A send error as a category a person can act on. The column holds the channel's summary (the SMS
 * gateway's status and Code, an SMTP reply), never the number or the text; the raw summary is for
 * operators, so only its category is shown.
 */
function errorCategory(error: string | null): MessageKey {
  if (!error) return 'guidance.codes.why_other';
  if (/timed out|timeout/i.test(error)) return 'guidance.codes.why_timeout';
  if (/Code=(isv\.BUSINESS_LIMIT_CONTROL|isv\.DAY_LIMIT_CONTROL|Throttling)/.test(error)) return 'guidance.codes.why_carrier_limit';
  // Aliyun's other isv.* codes are verdicts on this message (number, black list, content); an
  // SMTP 55x is a mailbox that does not take it.
  if (/Code=isv\.|\b55\d\b|invalid recipient|rejected/i.test(error)) return 'guidance.codes.why_refused';
  return 'guidance.codes.why_other';
}
