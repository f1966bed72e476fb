// preHandlers for what needs a fresh sign-in (fresh-sign-in.ts): pages send a stale session to
// 确认密码 and back; the API answers 401 settings.reauth_required (sign in again for a new token).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { isFresh } from '../sessions/freshness.ts';

/** Where to come back after 确认密码: the page itself (a form's /code action returns to its page). */
const returnPath = (request: FastifyRequest) => (request.method === 'GET' ? request.url : request.url.replace(/\/code$/, ''));

/** `returnTo`: the page to come back to when it is not the one asked for (a form's action). */
export function requireFreshPageSession(deps: { clock: Clock }, returnTo?: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.session) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    if (!isFresh(deps, request.session)) return reply.redirect(`/account/confirm-password?next=${encodeURIComponent(returnTo ?? returnPath(request))}`, 303);
  };
}

export function requireFreshApiSession(deps: { clock: Clock }) {
  return async (request: FastifyRequest) => {
    if (!request.session) throw new AppError('error.unauthenticated', { status: 401 });
    if (!isFresh(deps, request.session)) throw new AppError('settings.reauth_required', { status: 401 });
  };
}
