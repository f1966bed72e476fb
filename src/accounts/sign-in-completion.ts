// Every sign-in method (password, SMS code, WeChat, Alipay, passkey) ends here once its own proof
// has passed: the one place that decides whether that proof is enough for a session, so each rule
// about finishing a sign-in (the account's state, a second factor) is written once.
import type { AuthMethod } from '../sessions/auth-methods.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { AccountDeps } from './deps.ts';
import { startSession } from './session-start.ts';

export interface SignedIn {
  accountId: string;
  session: { token: string; id: string; expiresAt: Date };
}

/** The account's proof by `method` has passed: start its session. */
export async function completeSignIn(deps: AccountDeps, accountId: string, meta: RequestMeta, method: AuthMethod): Promise<SignedIn> {
  const session = await deps.db.transaction().execute((tx) => startSession(tx, deps, accountId, meta, method));
  return { accountId, session };
}
