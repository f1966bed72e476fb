// Binding a provider's identity to an account, and letting it go. One identity signs in to at most
// one account and an account holds at most one identity per provider (the table's partial unique
// indexes say so too, so two concurrent binds cannot both win). Every bind and unbind is audited
// and told to the person's proved contacts in the same transaction.
//
// Rules (issue 16 §3): the account must be live (active or needs_verification); within 2 hours of
// a username or password recovery binding is refused with the seed's prompt (seed 003 item 7); an
// identity bound to another account is refused naming that account masked. Deregistration
// releases every binding (releaseSocialBindings, in the deregistering transaction); suspension
// keeps them but no sign-in passes (signInBySocial checks the state).
import type { Executor } from '../db/client.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { recordAudit } from '../audit/audit.ts';
import type { AuditAction } from '../audit/actions.ts';
import { AppError } from '../lib/errors.ts';
import { maskEmail, maskPhone } from '../lib/mask.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { formatBeijing } from '../lib/time-format.ts';
import { assertSocialBindingAllowed, socialBindingBlockedUntil, type RecoveryTimes } from '../accounts/social-binding-policy.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { provedContacts } from '../accounts/account-view.ts';
import type { SocialIdentity, SocialProviderName } from './provider.ts';
import { socialBound, socialUnbound } from './notices.ts';
import * as q from './queries.ts';

const LIVE_STATES = new Set(['active', 'needs_verification']);

const BOUND_ACTION: Record<SocialProviderName, AuditAction> = { wechat: 'social.wechat_bound', alipay: 'social.alipay_bound' };
const UNBOUND_ACTION: Record<SocialProviderName, AuditAction> = { wechat: 'social.wechat_unbound', alipay: 'social.alipay_unbound' };

/** The account an identity is bound to, as a stranger may see it: its username masked. */
export function maskedUsername(account: { registered_via: 'phone' | 'email'; phone: string | null; email: string | null }): string {
  if (account.registered_via === 'phone' && account.phone) return maskPhone(account.phone);
  if (account.email) return maskEmail(account.email);
  return account.phone ? maskPhone(account.phone) : '***';
}

/** The 2-hour pause after a recovery, in this module's words (the seed's prompt first). */
function assertNotPaused(account: RecoveryTimes, now: Date): void {
  try {
    assertSocialBindingAllowed(account, now);
  } catch (error) {
    if (error instanceof AppError && error.code === 'social.recently_recovered') throw new AppError('social.paused', { status: 403, params: error.params });
    throw error;
  }
}

/** What the binding would be refused for before the person scans (the same checks run again when binding). */
export async function assertMayBind(deps: AccountDeps, accountId: string, provider: SocialProviderName): Promise<void> {
  const now = deps.clock.now();
  const account = await q.accountForBinding(deps.db, accountId);
  if (!account || !LIVE_STATES.has(account.state)) throw new AppError('login.account_unavailable', { status: 403 });
  assertNotPaused(account, now);
  if ((await q.liveBindingsOf(deps.db, accountId)).some((b) => b.provider === provider)) throw alreadyBound(provider);
}

const alreadyBound = (provider: SocialProviderName) => new AppError('social.already_bound', { status: 409, params: { provider } });

/**
 * The live binding of `identity`: by its subject, else by a former one (WeChat's openid from
 * before a unionid came), which is then moved to the subject so the next look-up finds it at once.
 */
export async function liveBindingOf(deps: Pick<AccountDeps, 'db'>, identity: SocialIdentity) {
  const bound = await q.liveBindingOfSubject(deps.db, identity.provider, identity.subject);
  if (bound) return bound;
  for (const former of identity.formerSubjects ?? []) {
    const found = await q.liveBindingOfSubject(deps.db, identity.provider, former);
    if (!found) continue;
    await q.renameBindingSubject(deps.db, found.id, identity.subject);
    return found;
  }
  return undefined;
}

/** Binds `identity` to the account. Throws the refusal the page shows. */
export async function bindIdentity(deps: AccountDeps, accountId: string, identity: SocialIdentity, meta: RequestMeta): Promise<void> {
  const now = deps.clock.now();
  const provider = identity.provider;
  const elsewhere = await liveBindingOf(deps, identity);
  if (elsewhere && elsewhere.account_id !== accountId) return refuseBoundElsewhere(deps, accountId, provider, elsewhere, meta);
  if (elsewhere) throw alreadyBound(provider);
  try {
    await deps.db.transaction().execute(async (tx) => {
      const account = await q.lockAccountForBinding(tx, accountId);
      if (!account || !LIVE_STATES.has(account.state)) throw new AppError('login.account_unavailable', { status: 403 });
      assertNotPaused(account, now);
      if ((await q.liveBindingsOf(tx, accountId)).some((b) => b.provider === provider)) throw alreadyBound(provider);
      const displayName = identity.displayName?.slice(0, 64) ?? null;
      const bindingId = await q.insertBinding(tx, { accountId, provider, subject: identity.subject, displayName, at: now });
      await recordAudit(tx, {
        action: BOUND_ACTION[provider],
        actor: { kind: 'account', id: accountId },
        accountId,
        ip: meta.ip,
        detail: { provider, bindingId },
        at: now,
      });
      await notifyContacts(tx, deps.outbox, provedContacts(account), socialBound(provider, displayName, now));
    });
  } catch (error) {
    // Another request bound the same identity between the look-up and the insert.
    if (isUniqueViolation(error)) {
      const winner = await q.liveBindingOfSubject(deps.db, provider, identity.subject);
      if (winner && winner.account_id !== accountId) return refuseBoundElsewhere(deps, accountId, provider, winner, meta);
      throw alreadyBound(provider);
    }
    throw error;
  }
  deps.outbox.nudge();
}

async function refuseBoundElsewhere(
  deps: AccountDeps,
  accountId: string,
  provider: SocialProviderName,
  other: { registered_via: 'phone' | 'email'; phone: string | null; email: string | null },
  meta: RequestMeta,
): Promise<never> {
  await recordAudit(deps.db, {
    action: 'social.bind_refused',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { provider },
    at: deps.clock.now(),
  });
  throw new AppError('social.bound_elsewhere', { status: 409, params: { provider, account: maskedUsername(other) } });
}

/** 解除绑定: the identity no longer signs in to this account. */
export async function unbindIdentity(deps: AccountDeps, accountId: string, provider: SocialProviderName, meta: RequestMeta): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const account = await q.lockAccountForBinding(tx, accountId);
    if (!account) throw new AppError('login.account_unavailable', { status: 403 });
    const released = await q.releaseBinding(tx, accountId, provider, now);
    if (!released) throw new AppError('social.not_bound_now', { status: 409, params: { provider } });
    await recordAudit(tx, {
      action: UNBOUND_ACTION[provider],
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { provider, bindingId: released.id },
      at: now,
    });
    await notifyContacts(tx, deps.outbox, provedContacts(account), socialUnbound(provider, released.display_name, now));
  });
  deps.outbox.nudge();
}

/**
 * A deregistered account's bindings are released, in the deregistering transaction (after
 * lifecycle.deregister, which has told the person): the identities may then be bound to another
 * account. Answers how many were released.
 */
export async function releaseSocialBindings(tx: Executor, deps: { clock: { now(): Date } }, accountId: string): Promise<number> {
  const now = deps.clock.now();
  const released = await q.releaseAllBindings(tx, accountId, now);
  if (released.length > 0) {
    await recordAudit(tx, {
      action: 'social.released',
      actor: { kind: 'system' },
      accountId,
      detail: { bindingIds: released.map((r) => r.id), providers: released.map((r) => r.provider) },
      at: now,
    });
  }
  return released.length;
}

export interface BindingView {
  provider: SocialProviderName;
  displayName: string | null;
  boundAt: Date;
}

/** What 帐号管理 shows: each live binding, and until when binding is paused after a recovery. */
export async function bindingsOverview(deps: AccountDeps, accountId: string): Promise<{ bindings: BindingView[]; pausedUntil: string | undefined }> {
  const [rows, account] = await Promise.all([q.liveBindingsOf(deps.db, accountId), q.accountForBinding(deps.db, accountId)]);
  const until = account ? socialBindingBlockedUntil(account, deps.clock.now()) : null;
  return {
    bindings: rows.map((r) => ({ provider: r.provider, displayName: r.display_name, boundAt: r.bound_at })),
    pausedUntil: until ? formatBeijing(until) : undefined,
  };
}
