// Every sign-in method (password, SMS code, WeChat, Alipay, passkey) ends here once its own proof
// has passed: the one place that decides whether that proof is enough for a session, so each rule
// about finishing a sign-in (the account's state, a second factor) is written once.
//
// A second factor: an account that has one and a method that is one factor (everything but a
// passkey, which is a device key unlocked by the person) gets no session yet. SecondFactorRequired
// is thrown instead, carrying a pending sign-in for this browser; the sign-in routes' reply
// (sign-in-reply.ts) sends the browser to /login/second-factor, and second-factor-sign-in.ts
// starts the session there with both methods. Accounts without a second factor are unchanged.
import type { AuthMethod } from '../sessions/auth-methods.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { AccountDeps } from './deps.ts';
import { startSession } from './session-start.ts';
import { hasSecondFactor } from '../mfa/second-factor.ts';
import { beginPendingSignIn } from '../mfa/pending.ts';
import { cancelRemovalBySignIn } from '../mfa/removal.ts';

export { SecondFactorRequired } from '../mfa/pending.ts';

export interface SignedIn {
  accountId: string;
  /** deregistrationDue: the account's own 注销帐号 is cooling off until then; consentDue: new documents to agree to (session-start.ts). */
  session: { token: string; id: string; expiresAt: Date; deregistrationDue?: Date | undefined; consentDue?: boolean | undefined };
}

/** Methods that are already more than one factor, so never asked for a second. */
const MULTI_FACTOR: ReadonlySet<AuthMethod> = new Set(['passkey']);

/** The account's proof by `method` has passed: start its session (or ask for the second factor). */
export async function completeSignIn(deps: AccountDeps, accountId: string, meta: RequestMeta, method: AuthMethod): Promise<SignedIn> {
  if (!MULTI_FACTOR.has(method) && (await hasSecondFactor(deps, accountId))) throw await beginPendingSignIn(deps, accountId, method);
  const session = await deps.db.transaction().execute(async (tx) => {
    // A multi-factor sign-in is the owner's: it ends a removal of the second factor asked through
    // recovery (as passing the second step does), which is what the removal's notice promises.
    if (MULTI_FACTOR.has(method)) await cancelRemovalBySignIn(tx, deps, accountId, meta);
    return startSession(tx, deps, accountId, meta, method);
  });
  return { accountId, session };
}
