// How every sign-in route ends, whichever method proved the person: the session cookie and the
// way on (the platform's sign-in, or 帐号管理). Routes call this rather than setting the cookie
// themselves, so that a step every method shares (a second factor) is added in one place.
import type { FastifyReply } from 'fastify';
import { startSignedInSession } from '../http/session-hooks.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import type { SignedIn } from './sign-in-completion.ts';

/** `signedIn` is the result of completeSignIn (or of a method's service that ends with it). */
export function replySignedIn(reply: FastifyReply, signedIn: SignedIn, next: string | undefined) {
  startSignedInSession(reply, signedIn.session);
  return reply.redirect(safeLocalPath(next, '/account'), 303);
}
