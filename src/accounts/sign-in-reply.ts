// How every sign-in route ends, whichever method proved the person: the session cookie and the
// way on (the platform's sign-in, or 帐号管理). Routes call this rather than setting the cookie
// themselves, so that a step every method shares (a second factor) is added in one place.
//
// Routes pass the sign-in itself (the promise of completeSignIn, or of a method's service that
// ends with it): when the account has a second factor, that promise rejects with
// SecondFactorRequired, and this reply sends the browser to /login/second-factor (keeping `next`)
// with the pending sign-in in a cookie. Any other error is the route's to show, as before.
//
// An account whose own 注销帐号 is cooling off is signed in all the same, but goes first to
// /account/deregister, which offers 撤销注销 (and keeps `next` for after it); one whose agreement
// or policy changed since it agreed goes through /consent.
import type { FastifyReply } from 'fastify';
import { startSignedInSession } from '../http/session-hooks.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { SecondFactorRequired, type SignedIn } from './sign-in-completion.ts';
import { clearPendingCookie, setPendingCookie } from '../mfa/pending-cookie.ts';

/** Where the second step is asked, keeping where the sign-in was going. */
export const secondFactorPath = (next: string | undefined) => {
  const safe = safeLocalPath(next, '');
  return safe ? `/login/second-factor?next=${encodeURIComponent(safe)}` : '/login/second-factor';
};

/**
 * Where a sign-in goes: the offer to cancel a cooling-off 注销帐号 first, then new versions of the
 * user agreement and policy to agree to, then `next` (or 帐号管理); each page keeps the rest as its `next`.
 */
function wayOn(signedIn: SignedIn, next: string | undefined): string {
  let way = safeLocalPath(next, '/account');
  if (signedIn.session.consentDue) way = way === '/account' ? '/consent' : `/consent?next=${encodeURIComponent(way)}`;
  if (signedIn.session.deregistrationDue) way = way === '/account' ? '/account/deregister' : `/account/deregister?next=${encodeURIComponent(way)}`;
  return way;
}

/** `signedIn` is the result of completeSignIn (or of a method's service that ends with it), or its promise. */
export async function replySignedIn(reply: FastifyReply, signedIn: SignedIn | Promise<SignedIn>, next: string | undefined) {
  let done: SignedIn;
  try {
    done = await signedIn;
  } catch (error) {
    if (!(error instanceof SecondFactorRequired)) throw error;
    setPendingCookie(reply, error.token, error.expiresAt);
    return reply.redirect(secondFactorPath(next), 303);
  }
  startSignedInSession(reply, done.session);
  return reply.redirect(wayOn(done, next), 303);
}

/**
 * How the second step ends, whichever second factor passed it (second-factor-routes.tsx for a
 * code; a passkey route for a passkey): the pending sign-in's cookie goes, the session's comes.
 */
export function replySecondFactorPassed(reply: FastifyReply, signedIn: SignedIn, next: string | undefined) {
  clearPendingCookie(reply);
  startSignedInSession(reply, signedIn.session);
  return reply.redirect(wayOn(signedIn, next), 303);
}
