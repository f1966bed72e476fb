// Security headers for every response, computed once at start. (@fastify/helmet rebuilt its
// whole configuration on every request, a measurable share of a page view's CPU.)
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Other origins a page may load from: the configured captcha service's widget (vendors/vendor.ts). */
export interface ThirdPartySources {
  script: readonly string[];
  frame: readonly string[];
  connect: readonly string[];
  img: readonly string[];
  style: readonly string[];
}

const NONE: ThirdPartySources = { script: [], frame: [], connect: [], img: [], style: [] };
const directive = (name: string, base: string[], extra: readonly string[]) => [name, ...base, ...extra].join(' ');

export function securityHeaders(secure: boolean, thirdParty: ThirdPartySources = NONE): Record<string, string> {
  const csp = [
    "default-src 'self'",
    directive('script-src', ["'self'"], thirdParty.script),
    directive('style-src', ["'self'"], thirdParty.style),
    directive('img-src', ["'self'", 'data:'], thirdParty.img),
    "font-src 'self'",
    ...(thirdParty.connect.length ? [directive('connect-src', ["'self'"], thirdParty.connect)] : []),
    ...(thirdParty.frame.length ? [directive('frame-src', ["'self'"], thirdParty.frame)] : []),
    "worker-src 'self'",
    "form-action 'self'",
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

/**
 * Lets this response's forms lead to `origin` as well. Browsers apply form-action to the redirects
 * after a form post too, and signing in to a platform ends with a redirect to the platform (after
 * 登录, 同意并登录, 返回平台 or the sign-out confirmation): those pages allow the origin of that one
 * platform's registered redirect (see sso/form-targets.ts), nothing else.
 */
export function allowFormTarget(reply: FastifyReply, origin: string | undefined): void {
  const csp = reply.getHeader('content-security-policy');
  if (!origin || typeof csp !== 'string') return;
  reply.header('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' ${origin}`));
}

export function installSecurityHeaders(app: FastifyInstance, secure: boolean, thirdParty?: ThirdPartySources): void {
  const headers = securityHeaders(secure, thirdParty);
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });
}
