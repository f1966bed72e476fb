// Security headers for every response, computed once at start. (@fastify/helmet rebuilt its
// whole configuration on every request, a measurable share of a page view's CPU.)
import type { FastifyInstance } from 'fastify';

/**
 * `formTargets`: origins forms may lead to besides this one. Browsers apply form-action to the
 * redirects after a form post too, and signing in to a platform ends with a redirect to the
 * platform (after 登录, 同意并登录, 返回平台 or the sign-out confirmation); those pages allow the
 * origin of that one platform's registered redirect (see sso/form-targets.ts), nothing else.
 */
export function securityHeaders(secure: boolean, formTargets: readonly string[] = []): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["form-action 'self'", ...formTargets].join(' '),
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    ...(secure ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
  return {
    'content-security-policy': csp,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(secure ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

export function installSecurityHeaders(app: FastifyInstance, secure: boolean): void {
  const headers = securityHeaders(secure);
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });
}
