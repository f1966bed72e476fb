// What a signed-in person sees of their own account, and their sessions.
import { recordAudit } from '../audit/audit.ts';
import { AppError } from '../lib/errors.ts';
import { maskEmail, maskPhone } from '../lib/mask.ts';
import { listSessions, revokeOtherSessions, revokeSession, type SessionAccount } from '../sessions/service.ts';
import type { AccountDeps } from './deps.ts';
import * as q from './queries.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { AccountState } from '../db/schema.ts';
import type { RequestMeta } from '../http/request-meta.ts';

export interface AccountOverview {
  id: string;
  maskedUsername: string;
  state: AccountState;
  phone: { masked: string; verified: boolean } | null;
  email: { masked: string; verified: boolean } | null;
  identity: SessionAccount['identity'];
  realnameBound: boolean;
  enterprise: boolean;
  createdAt: Date;
  /** i18n keys of what is still to do, in order. */
  todo: Array<{ key: MessageKey; params?: Record<string, string> }>;
}

/**
 * Built from the account the session already loaded; `enterpriseConfirmed` (whether support has
 * confirmed an enterprise account, q.enterpriseConfirmed) only where a page shows it.
 */
export function accountOverview(account: SessionAccount, extra: { enterpriseConfirmed?: boolean } = {}): AccountOverview {
  const username = (account.registeredVia === 'phone' ? account.phone : account.email) ?? '';
  const todo: AccountOverview['todo'] = [];
  // An enterprise has no person's real name to give.
  if (account.kind !== 'enterprise' && !account.identity) todo.push({ key: 'home.todo_realname' });
  else if (account.state === 'needs_verification') todo.push({ key: 'home.todo_resolve' });
  // Verified (or never in doubt) but not yet bound: the seed's second step, 实名信息绑定.
  else if (account.kind !== 'enterprise' && !account.realnameBoundAt) todo.push({ key: 'home.todo_bind' });
  if (account.kind === 'enterprise' && extra.enterpriseConfirmed === false) todo.push({ key: 'home.todo_enterprise_confirm' });
  return {
    id: account.id,
    maskedUsername: account.registeredVia === 'phone' ? maskPhone(username) : maskEmail(username),
    state: account.state,
    phone: account.phone ? { masked: maskPhone(account.phone), verified: Boolean(account.phoneVerifiedAt) } : null,
    email: account.email ? { masked: maskEmail(account.email), verified: Boolean(account.emailVerifiedAt) } : null,
    identity: account.identity,
    realnameBound: Boolean(account.realnameBoundAt),
    enterprise: account.kind === 'enterprise',
    createdAt: account.createdAt,
    todo,
  };
}

/** The overview the 帐号管理 page shows: an enterprise account also says whether it is confirmed. */
export async function accountHome(deps: AccountDeps, account: SessionAccount): Promise<AccountOverview> {
  const enterpriseConfirmed = account.kind === 'enterprise' ? await q.enterpriseConfirmed(deps.db, account.id) : undefined;
  return accountOverview(account, { enterpriseConfirmed });
}

export async function sessionsOf(deps: AccountDeps, accountId: string, currentSessionId: string) {
  const rows = await listSessions(deps.sessions, accountId);
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.created_at,
    lastSeenAt: s.last_seen_at,
    ip: s.ip,
    userAgent: s.user_agent,
    current: s.id === currentSessionId,
  }));
}

export async function endSession(deps: AccountDeps, accountId: string, sessionId: string, meta: RequestMeta): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    if (!(await revokeSession(tx, deps.sessions, accountId, sessionId))) throw new AppError('sessions.not_found', { status: 404 });
    await recordAudit(tx, {
      action: 'session.revoked',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { sessionId },
      at: deps.clock.now(),
    });
  });
}

export async function endOtherSessions(deps: AccountDeps, accountId: string, currentSessionId: string, meta: RequestMeta): Promise<number> {
  return deps.db.transaction().execute(async (tx) => {
    const count = await revokeOtherSessions(tx, deps.sessions, accountId, currentSessionId);
    await recordAudit(tx, {
      action: 'session.revoked_others',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { count },
      at: deps.clock.now(),
    });
    return count;
  });
}
