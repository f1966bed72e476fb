// Sessions over HTTP: pages carry the token in an HttpOnly cookie; the JSON API carries it as a
// Bearer token and never reads the cookie (so the API needs no CSRF token).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveSession, type SessionDeps } from '../sessions/service.ts';
import { sessionCookieOptions, type CookiePolicy } from './cookies.ts';
import { AppError } from '../lib/errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    cookiePolicy: CookiePolicy;
  }
}

export function installSessionHooks(app: FastifyInstance, deps: SessionDeps, policy: CookiePolicy): void {
  app.decorate('cookiePolicy', policy);
  app.decorateRequest('session', undefined);
  app.addHook('onRequest', async (request) => {
    const token = isApi(request) ? bearerToken(request) : request.cookies[policy.sessionName];
    if (!token) return;
    request.session = await resolveSession(deps, token);
    resolved.set(request.raw, { token, accountId: request.session?.accountId, consentDue: request.session?.consentDue ?? false });
  });
}

/**
 * What the session hook found for a request, kept by its Node request: code that sees only the
 * raw request (the OpenID Provider mounted under /oidc, sso/policy.ts) asks here instead of
 * resolving the same cookie a second time.
 */
const resolved = new WeakMap<object, { token: string; accountId: string | undefined; consentDue: boolean }>();

/**
 * The account behind `token` if this request's session hook resolved that token (undefined: it did
 * not), and whether that session is held at /consent (consent/due-gate.ts).
 */
export function resolvedSessionOf(raw: object, token: string): { accountId: string | undefined; consentDue: boolean } | undefined {
  const found = resolved.get(raw);
  return found && found.token === token ? { accountId: found.accountId, consentDue: found.consentDue } : undefined;
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

export function startSignedInSession(reply: FastifyReply, session: { token: string; expiresAt: Date }): void {
  const policy = reply.server.cookiePolicy;
  reply.setCookie(policy.sessionName, session.token, sessionCookieOptions(policy, session.expiresAt));
}

export function endSignedInSession(reply: FastifyReply): void {
  const policy = reply.server.cookiePolicy;
  reply.clearCookie(policy.sessionName, sessionCookieOptions(policy));
}

/** preHandler for pages that need a signed-in person: others go to the sign-in page and back. */
export async function requirePageSession(request: FastifyRequest, reply: FastifyReply) {
  if (!request.session) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}

/** preHandler for API routes that need a Bearer session. */
export async function requireApiSession(request: FastifyRequest) {
  if (!request.session) throw new AppError('error.unauthenticated', { status: 401 });
}
