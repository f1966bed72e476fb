// Cookie names and options. In production (HTTPS) the session and CSRF cookies carry the
// __Host- prefix: Secure, Path=/, no Domain, so no sibling subdomain can set or read them.
import type { CookieSerializeOptions } from '@fastify/cookie';

export interface CookiePolicy {
  sessionName: string;
  csrfName: string;
  langName: string;
  secure: boolean;
}

export function cookiePolicy(secure: boolean): CookiePolicy {
  return { sessionName: secure ? '__Host-tx_session' : 'tx_session', csrfName: secure ? '__Host-tx_csrf' : 'tx_csrf', langName: 'tx_lang', secure };
}

export function sessionCookieOptions(policy: CookiePolicy, expires?: Date): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: policy.secure, ...(expires ? { expires } : {}) };
}
