// The left-hand account menu (seeds 000, 001, 004: 基本信息, 实名信息绑定, 证件重复-客服审核,
// 证件重复-用户协助, 帐号管理 …): which entries apply to this person and which one the page is.
//
// Decided from the seeds and the data:
// - 证件重复-客服审核 follows a photo review, so it shows once the person has one (any state: they
//   come back to see a rejection's reason or the approval);
// - 证件重复-用户协助 is where a claimant sends and follows a classmate request, so it shows while
//   the account needs verification or once it has sent one; someone asked to vouch answers in the
//   inbox, so for them the entry leads there while a request waits for their answer;
// - 基本信息 and 实名信息绑定 are a person's; an enterprise account has neither.
import type { MessageKey } from '../i18n/index.ts';
import type { SessionAccount } from '../sessions/service.ts';
import type { Executor } from '../db/client.ts';
import { classmateRequestsOf, hasPhotoReview } from './menu-queries.ts';

export interface AccountMenuEntry {
  key: MessageKey;
  href: string;
  /** Pages (path prefixes) that belong to this entry, besides its own address. */
  also?: readonly string[];
}

export interface AccountMenuFacts {
  photoReview: boolean;
  classmate: { sent: boolean; toAnswer: boolean };
}

export async function accountMenuFacts(db: Executor, account: SessionAccount, vouchKind: string, now: Date): Promise<AccountMenuFacts> {
  if (account.kind === 'enterprise') return { photoReview: false, classmate: { sent: false, toAnswer: false } };
  const [photoReview, classmate] = await Promise.all([hasPhotoReview(db, account.id), classmateRequestsOf(db, account.id, vouchKind, now)]);
  return { photoReview, classmate };
}

export function accountMenuEntries(account: Pick<SessionAccount, 'kind' | 'state'>, facts: AccountMenuFacts): AccountMenuEntry[] {
  const person = account.kind !== 'enterprise';
  const claimant = account.state === 'needs_verification';
  const entries: (AccountMenuEntry | false)[] = [
    person && { key: 'menu.identity', href: '/account/identity', also: ['/account/resolution'] },
    person && { key: 'menu.binding', href: '/account/binding' },
    facts.photoReview && { key: 'menu.photo_review', href: '/account/resolution/photo' },
    (claimant || facts.classmate.sent) && { key: 'menu.classmate', href: '/account/resolution/classmate' },
    !claimant && !facts.classmate.sent && facts.classmate.toAnswer && { key: 'menu.classmate', href: '/inbox' },
    { key: 'menu.account', href: '/account', also: ['/account/password', '/account/phone', '/account/email', '/account/confirm-password', '/account/social'] },
    { key: 'menu.security', href: '/account/security' },
    { key: 'menu.sessions', href: '/account/sessions' },
    { key: 'menu.platforms', href: '/account/platforms' },
    { key: 'menu.inbox', href: '/inbox' },
    { key: 'support.nav', href: '/account/support' },
    { key: 'export.nav', href: '/account/export' },
    // 注销帐号 (leaving/), last: a person's own; an enterprise account is closed through support.
    person && { key: 'leaving.nav', href: '/account/deregister' },
  ];
  return entries.filter((entry): entry is AccountMenuEntry => entry !== false);
}

/** The entry the page at `path` belongs to: its own address, else the longest matching prefix. */
export function currentEntry(entries: readonly AccountMenuEntry[], path: string): AccountMenuEntry | undefined {
  const bare = path.split('?')[0]!.replace(/\/+$/, '') || '/';
  const exact = entries.find((entry) => entry.href === bare);
  if (exact) return exact;
  let best: { entry: AccountMenuEntry; length: number } | undefined;
  for (const entry of entries)
    for (const prefix of [entry.href, ...(entry.also ?? [])].filter((p) => !p.includes('?')))
      if (prefix !== '/account' && (bare === prefix || bare.startsWith(`${prefix}/`)) && prefix.length > (best?.length ?? 0))
        best = { entry, length: prefix.length };
  return best?.entry;
}
