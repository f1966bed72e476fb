// The cookie that binds a pending sign-in to the browser that passed its first step. HttpOnly,
// SameSite=Lax, and __Host- under HTTPS like the session cookie; it ends with the pending sign-in.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookieOptions } from '../http/cookies.ts';

const nameOf = (secure: boolean) => (secure ? '__Host-tx_2fa' : 'tx_2fa');

export function setPendingCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  const policy = reply.server.cookiePolicy;
  reply.setCookie(nameOf(policy.secure), token, sessionCookieOptions(policy, expiresAt));
}

export function pendingCookieOf(request: FastifyRequest): string | undefined {
  return request.cookies[nameOf(request.server.cookiePolicy.secure)];
}

export function clearPendingCookie(reply: FastifyReply): void {
  const policy = reply.server.cookiePolicy;
  reply.clearCookie(nameOf(policy.secure), sessionCookieOptions(policy));
}
