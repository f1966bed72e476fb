// Starting a signed-in session is always the same two writes: the session and its audit event
// (with the device and how the person proved who they are, for the security log). Registration,
// activation, every sign-in method and recovery share it. A sign-in of an account whose own
// 注销帐号 is cooling off says so (`deregistrationDue`): the sign-in's reply then offers 撤销注销
// (leaving/) before anything else; one whose user agreement or policy has a newer version than it
// agreed to says so (`consentDue`), and the way on passes /consent (consent/) first.
import type { Executor } from '../db/client.ts';
import { recordAudit } from '../audit/audit.ts';
import { describeDevice } from '../lib/user-agent.ts';
import { createSession } from '../sessions/service.ts';
import type { AuthMethod } from '../sessions/auth-methods.ts';
import type { AccountDeps } from './deps.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { sessionStartFacts } from './queries.ts';
import { LEGAL_DOCUMENTS } from '../consent/documents.ts';

/**
 * Registration and activation end with the password the person just chose; a sign-in names the
 * methods it used, in order (a second factor after the first: ['password', 'totp']).
 */
export type SessionStartVia = AuthMethod | readonly AuthMethod[] | 'registration' | 'activation';

export async function startSession(tx: Executor, deps: AccountDeps, accountId: string, meta: RequestMeta, how: SessionStartVia) {
  const methods: AuthMethod[] = how === 'registration' || how === 'activation' ? ['password'] : typeof how === 'string' ? [how] : [...how];
  // The security log names the way in: one method by its name, two as "password+totp".
  const via = typeof how === 'string' ? how : methods.join('+');
  const current = LEGAL_DOCUMENTS.map((document) => ({ document, version: deps.legal.versions[document] }));
  const facts = await sessionStartFacts(tx, accountId, current);
  // A new version of the user agreement or policy since the account last agreed: asked first, and
  // the session reaches nothing else until it is agreed to (consent/due-gate.ts).
  const consentDue = facts.agreedCurrent < current.length;
  const session = await createSession(tx, deps.sessions, { accountId, ip: meta.ip, userAgent: meta.userAgent, methods, consentDue });
  await recordAudit(tx, {
    action: 'session.started',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { via, methods, sessionId: session.id, device: describeDevice(meta.userAgent) },
    at: deps.clock.now(),
  });
  return { ...session, deregistrationDue: facts.deregistrationDue, consentDue };
}
