// 修改密码: the current password, then the new one. Other sessions end when the person asks (the
// form ticks it by default); this one stays and counts as freshly signed in. The proved contacts
// are told.
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { markSessionAuthenticated, revokeOtherSessions, type CurrentSession } from '../sessions/service.ts';
import type { AccountDeps } from './deps.ts';
import { verifyCurrentPassword } from './fresh-sign-in.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { passwordChanged } from '../notifications/templates/index.ts';
import { passwordProblem } from './rules.ts';
import * as q from './queries.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { displayUsername, provedContacts } from './account-view.ts';

export interface PasswordChange {
  currentPassword: string;
  password: string;
  endOtherSessions: boolean;
}

export async function changePassword(
  deps: AccountDeps,
  session: Pick<CurrentSession, 'id' | 'accountId'>,
  input: PasswordChange,
  meta: RequestMeta,
): Promise<{ endedSessions: number }> {
  const account = await verifyCurrentPassword(deps, session.accountId, input.currentPassword, meta, 'account.password_change_failed');
  const problem = passwordProblem(input.password, displayUsername(account));
  if (problem) throw new AppError(problem, { field: 'password' });
  if (input.password === input.currentPassword) throw new AppError('settings.password_same', { field: 'password' });
  const passwordHash = await deps.hasher.hash(input.password);
  const now = deps.clock.now();
  const endedSessions = await deps.db.transaction().execute(async (tx) => {
    await q.setPassword(tx, account.id, passwordHash, now);
    await markSessionAuthenticated(tx, deps.sessions, session.id);
    const ended = input.endOtherSessions ? await revokeOtherSessions(tx, deps.sessions, account.id, session.id) : 0;
    await recordAudit(tx, {
      action: 'account.password_changed',
      actor: { kind: 'account', id: account.id },
      accountId: account.id,
      ip: meta.ip,
      detail: { sessionsEnded: ended },
      at: now,
    });
    await notifyContacts(tx, deps.outbox, provedContacts(account), passwordChanged(now));
    return ended;
  });
  deps.outbox.nudge();
  return { endedSessions };
}
