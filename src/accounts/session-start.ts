// Starting a signed-in session is always the same two writes: the session and its audit event
// (with the device, for the security log). Registration, activation, sign-in and recovery share it.
import type { Executor } from '../db/client.ts';
import { recordAudit } from '../audit/audit.ts';
import { describeDevice } from '../lib/user-agent.ts';
import { createSession } from '../sessions/service.ts';
import type { AccountDeps } from './deps.ts';
import type { RequestMeta } from '../http/request-meta.ts';

export type SessionStartVia = 'password' | 'registration' | 'activation';

export async function startSession(tx: Executor, deps: AccountDeps, accountId: string, meta: RequestMeta, via: SessionStartVia) {
  const session = await createSession(tx, deps.sessions, { accountId, ip: meta.ip, userAgent: meta.userAgent });
  await recordAudit(tx, {
    action: 'session.started',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { via, sessionId: session.id, device: describeDevice(meta.userAgent) },
    at: deps.clock.now(),
  });
  return session;
}
