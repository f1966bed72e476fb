// Starting a signed-in session is always the same two writes: the session and its audit event
// (with the device and how the person proved who they are, for the security log). Registration,
// activation, every sign-in method and recovery share it.
import type { Executor } from '../db/client.ts';
import { recordAudit } from '../audit/audit.ts';
import { describeDevice } from '../lib/user-agent.ts';
import { createSession } from '../sessions/service.ts';
import type { AuthMethod } from '../sessions/auth-methods.ts';
import type { AccountDeps } from './deps.ts';
import type { RequestMeta } from '../http/request-meta.ts';

/** Registration and activation end with the password the person just chose. */
export type SessionStartVia = AuthMethod | 'registration' | 'activation';

export async function startSession(tx: Executor, deps: AccountDeps, accountId: string, meta: RequestMeta, via: SessionStartVia) {
  const methods: AuthMethod[] = via === 'registration' || via === 'activation' ? ['password'] : [via];
  const session = await createSession(tx, deps.sessions, { accountId, ip: meta.ip, userAgent: meta.userAgent, methods });
  await recordAudit(tx, {
    action: 'session.started',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { via, methods, sessionId: session.id, device: describeDevice(meta.userAgent) },
    at: deps.clock.now(),
  });
  return session;
}
