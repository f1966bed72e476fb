// The passkey cookie: a random value this browser keeps for an hour, whose keyed hash every
// challenge it asks for is stored with (challenges.ts). HttpOnly, so page scripts never see it;
// __Host- in production, like the session cookie.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomToken } from '../lib/crypto.ts';

const MAX_AGE_SECONDS = 3_600;

const cookieName = (secure: boolean) => (secure ? '__Host-tx_passkey' : 'tx_passkey');

/** The browser's passkey cookie, set (or its hour renewed) on this reply. For the options of a ceremony. */
export function passkeyBrowser(request: FastifyRequest, reply: FastifyReply): string {
  const secure = reply.server.cookiePolicy.secure;
  const name = cookieName(secure);
  const current = request.cookies[name];
  const value = current && /^[A-Za-z0-9_-]{43}$/.test(current) ? current : randomToken(32);
  reply.setCookie(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: MAX_AGE_SECONDS });
  return value;
}

/** The browser's passkey cookie as it came, for verifying an answer ('' when it has none: no challenge matches that). */
export function passkeyBrowserOf(request: FastifyRequest): string {
  const value = request.cookies[cookieName(request.server.cookiePolicy.secure)];
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : '';
}
