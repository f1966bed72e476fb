// What a signed-in person sees of their own account, and their sessions.
import { recordAudit } from '../audit/audit.ts';
import { AppError } from '../lib/errors.ts';
import { maskEmail, maskPhone } from '../lib/mask.ts';
import { listSessions, revokeOtherSessions, revokeSession } from '../sessions/service.ts';
import { displayUsername } from './availability.ts';
import type { AccountDeps, RequestMeta } from './deps.ts';
import * as q from './queries.ts';

export interface AccountOverview {
  id: string;
  maskedUsername: string;
  state: string;
  phone: { masked: string; verified: boolean } | null;
  email: { masked: string; verified: boolean } | null;
  createdAt: Date;
  /** i18n keys of what is still to do, in order. */
  todo: Array<{ key: string; params?: Record<string, string> }>;
}

export async function accountOverview(deps: AccountDeps, accountId: string): Promise<AccountOverview> {
  const account = await q.findById(deps.db, accountId);
  if (!account) throw new AppError('error.unauthenticated', { status: 401 });
  const username = displayUsername(account);
  const todo: AccountOverview['todo'] = [{ key: 'home.todo_realname' }];
  if (account.email && !account.email_verified_at) todo.push({ key: 'home.todo_email_verify', params: { email: maskEmail(account.email) } });
  return {
    id: account.id,
    maskedUsername: account.registered_via === 'phone' ? maskPhone(username) : maskEmail(username),
    state: account.state,
    phone: account.phone ? { masked: maskPhone(account.phone), verified: Boolean(account.phone_verified_at) } : null,
    email: account.email ? { masked: maskEmail(account.email), verified: Boolean(account.email_verified_at) } : null,
    createdAt: account.created_at,
    todo,
  };
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
    await recordAudit(tx, { action: 'session.revoked', actor: { kind: 'account', id: accountId }, accountId, ip: meta.ip, detail: { sessionId }, at: deps.clock.now() });
  });
}

export async function endOtherSessions(deps: AccountDeps, accountId: string, currentSessionId: string, meta: RequestMeta): Promise<number> {
  return deps.db.transaction().execute(async (tx) => {
    const count = await revokeOtherSessions(tx, deps.sessions, accountId, currentSessionId);
    await recordAudit(tx, { action: 'session.revoked_others', actor: { kind: 'account', id: accountId }, accountId, ip: meta.ip, detail: { count }, at: deps.clock.now() });
    return count;
  });
}
