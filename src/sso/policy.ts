// What the provider asks before a platform gets a code, as checks on its prompts (oidc-provider's
// interaction policy, so every path through the provider meets them and none is a special case in
// a route):
//   login   + tongxing_session  — the provider's sign-in lives only as long as the Tongxing session
//             in the same browser, and for the same account: signing out of Tongxing (or being
//             signed out from another device) ends single sign-on too, and a browser where someone
//             else has signed in since is asked again (prompt=none answers login_required);
//   login   + tongxing_consent_due — a Tongxing session held at /consent (a new user agreement or
//             policy to agree to, consent/due-gate.ts) signs in to no platform: the interaction
//             page sends the person to /consent first, and prompt=none, which may show nothing,
//             answers interaction_required (OpenID Connect Core 3.1.2.6: the person must use
//             the provider's pages for something other than signing in or consenting to the
//             platform);
//   consent + tongxing_realname — a platform that requires a verified real name gets no code for
//             an account without one, even with a remembered consent: the interaction page says
//             what to do (prompt=none answers consent_required).
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import { accountOfSubject, existingSubjectOf, realnameStatus, type RealnameStatus } from './claims.ts';
import { resolvedSessionOf } from '../http/session-hooks.ts';
import { requiresRealname } from './clients.ts';

export const TONGXING_SESSION = 'tongxing_session';
export const TONGXING_CONSENT_DUE = 'tongxing_consent_due';
export const TONGXING_REALNAME = 'tongxing_realname';

/** Why the interaction must stop at the real-name page, with the account's status; undefined when it need not. */
export function realnameShortfall(prompt: { reasons: string[]; details: Record<string, unknown> }): Exclude<RealnameStatus, 'verified'> | undefined {
  if (!prompt.reasons.includes(TONGXING_REALNAME)) return undefined;
  const status = prompt.details.realnameStatus;
  return status === 'needs_verification' ? 'needs_verification' : 'unverified';
}

export interface PolicyDeps {
  db: Db;
  /** The session the browser's Tongxing session cookie belongs to now: its account, and whether it is held at /consent. */
  tongxingSessionOf?: ((token: string) => Promise<{ accountId: string; consentDue: boolean } | undefined>) | undefined;
  sessionCookieName?: string | undefined;
}

export function interactionPolicyFor(deps: PolicyDeps) {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  const consent = policy.get('consent');
  if (login && deps.tongxingSessionOf && deps.sessionCookieName) {
    const sessionOf = deps.tongxingSessionOf;
    const cookieName = deps.sessionCookieName;
    // Tongxing's session hook has resolved this cookie already for this request (it runs before
    // the mount): its answer stands; only a request it did not see is resolved here.
    const tongxingSession = async (ctx: KoaContextWithOIDC) => {
      const token = ctx.cookies.get(cookieName);
      if (!token) return undefined;
      const seen = resolvedSessionOf(ctx.req, token);
      if (seen) return seen.accountId ? { accountId: seen.accountId, consentDue: seen.consentDue } : undefined;
      return sessionOf(token);
    };
    login.checks.add(
      new interactionPolicy.Check(
        TONGXING_SESSION,
        'the Tongxing session has ended or belongs to another account',
        'login_required',
        async (ctx: KoaContextWithOIDC) => {
          const sub = ctx.oidc.session?.accountId;
          if (!sub) return interactionPolicy.Check.NO_NEED_TO_PROMPT; // no_session asks already
          const accountId = (await tongxingSession(ctx))?.accountId;
          const current = accountId ? await existingSubjectOf(deps.db, accountId) : undefined;
          return current === sub ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
        },
      ),
    );
    login.checks.add(
      new interactionPolicy.Check(
        TONGXING_CONSENT_DUE,
        'the user agreement or personal information policy has changed and is not yet agreed to',
        'interaction_required',
        async (ctx: KoaContextWithOIDC) =>
          (await tongxingSession(ctx))?.consentDue ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT,
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
