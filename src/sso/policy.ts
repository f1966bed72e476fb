// What the provider asks before a platform gets a code, as checks on its prompts (oidc-provider's
// interaction policy, so every path through the provider meets them and none is a special case in
// a route):
//   login   + tongxing_session  — the provider's sign-in lives only as long as the Tongxing session
//             in the same browser, and for the same account: signing out of Tongxing (or being
//             signed out from another device) ends single sign-on too, and a browser where someone
//             else has signed in since is asked again (prompt=none answers login_required);
//   consent + tongxing_realname — a platform that requires a verified real name gets no code for
//             an account without one, even with a remembered consent: the interaction page says
//             what to do (prompt=none answers consent_required).
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { accountOfSubject, existingSubjectOf, realnameStatus, type RealnameStatus } from './claims.ts';
import { resolvedSessionOf } from '../http/session-hooks.ts';
import { requiresRealname } from './clients.ts';

export const TONGXING_SESSION = 'tongxing_session';
export const TONGXING_REALNAME = 'tongxing_realname';

/** Why the interaction must stop at the real-name page, with the account's status; undefined when it need not. */
export function realnameShortfall(prompt: { reasons: string[]; details: Record<string, unknown> }): Exclude<RealnameStatus, 'verified'> | undefined {
  if (!prompt.reasons.includes(TONGXING_REALNAME)) return undefined;
  const status = prompt.details.realnameStatus;
  return status === 'needs_verification' ? 'needs_verification' : 'unverified';
}

export interface PolicyDeps {
  db: Db;
  /** The account the browser's Tongxing session cookie belongs to now. */
  tongxingAccountOf?: ((token: string) => Promise<string | undefined>) | undefined;
  sessionCookieName?: string | undefined;
}

export function interactionPolicyFor(deps: PolicyDeps) {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  const consent = policy.get('consent');
  if (login && deps.tongxingAccountOf && deps.sessionCookieName) {
    const accountOf = deps.tongxingAccountOf;
    const cookieName = deps.sessionCookieName;
    login.checks.add(
      new interactionPolicy.Check(
        TONGXING_SESSION,
        'the Tongxing session has ended or belongs to another account',
        'login_required',
        async (ctx: KoaContextWithOIDC) => {
          const sub = ctx.oidc.session?.accountId;
          if (!sub) return interactionPolicy.Check.NO_NEED_TO_PROMPT; // no_session asks already
          const token = ctx.cookies.get(cookieName);
          // Tongxing's session hook has resolved this cookie already for this request (it runs
          // before the mount): its answer stands; only a request it did not see is resolved here.
          const accountId = token ? (resolvedSessionOf(ctx.req, token) ?? { accountId: await accountOf(token) }).accountId : undefined;
          const current = accountId ? await existingSubjectOf(deps.db, accountId) : undefined;
          return current === sub ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
        },
      ),
    );
  }
  if (consent) {
    const statusOf = async (ctx: KoaContextWithOIDC): Promise<RealnameStatus> => {
      const account = ctx.oidc.session?.accountId ? await accountOfSubject(deps.db, ctx.oidc.session.accountId) : undefined;
      return account ? realnameStatus(account) : 'unverified';
    };
    consent.checks.add(
      new interactionPolicy.Check(
        TONGXING_REALNAME,
        'the platform requires a verified real name',
        'consent_required',
        async (ctx: KoaContextWithOIDC) =>
          requiresRealname(ctx.oidc.client) && (await statusOf(ctx)) !== 'verified'
            ? interactionPolicy.Check.REQUEST_PROMPT
            : interactionPolicy.Check.NO_NEED_TO_PROMPT,
        async (ctx: KoaContextWithOIDC) => ({ realnameStatus: await statusOf(ctx) }),
      ),
    );
  }
  return policy;
}
