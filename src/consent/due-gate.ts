// A session started while the account had not agreed to the current user agreement or policy
// (sessions.consent_due, set by accounts/session-start.ts) is held at /consent: an account is not
// used under documents its holder has not agreed to. The sign-in already sends the browser there;
// this gate makes that the only way on, whatever the browser asks next — a bookmarked page, a
// form, or an API call with the session's Bearer token.
//
// A platform's sign-in (/oidc/auth, /cas/login) is held by its protocol instead, which can answer
// the platform as the protocol says: the OpenID Provider's policy (sso/policy.ts,
// tongxing_consent_due) and the CAS login (cas/service.ts nextLoginStep) send the person to
// /consent, or, when the platform asked that nothing be shown (prompt=none, gateway=true), tell
// the platform no one is signed in — and give it nothing either way. Declining at /consent ends
// the platform's waiting sign-in (its abort routes are open here for that).
//
// Held, a session still reaches what agreeing, declining or leaving needs, and the person's
// rights that do not rest on consent (PIPL art. 15–16, 45): the documents, /consent itself,
// signing out, 注销帐号 with its cancel, a copy of their data, the security log, ending their
// sessions, withdrawing a platform's authorisation, and support (the way to withdraw evidence).
// What uses the account towards others stays held: platform sign-ins, bindings, identity and
// contact changes, inbox decisions. Pages are sent to /consent with `next` (a GET comes back to
// where it was going); the API answers 403 `consent.due`, naming the operation that records the
// agreement.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { safeLocalPath } from '../http/safe-path.ts';

/** Routes (as registered) a held session may reach: agreeing, reading, leaving, and the plumbing. */
const OPEN_ROUTES = new Set([
  '/consent',
  '/legal/:kind',
  '/legal/retention',
  '/logout',
  '/account/deregister',
  '/account/deregister/cancel',
  '/account/confirm-password',
  '/account/export',
  '/account/export/:id/download',
  '/account/security',
  '/account/sessions',
  '/account/sessions/:id/revoke',
  '/account/sessions/revoke-others',
  '/account/platforms',
  '/account/platforms/:clientId/withdraw',
  '/account/support',
  '/account/support/:reference',
  '/account/support/:reference/reply',
  '/account/support/:reference/close',
  '/support/new',
  '/support/follow/:token',
  '/lang/:lang',
  '/healthz',
  '/readyz',
  '/metrics',
  '/api/v1/legal',
  '/api/v1/account/consents',
  '/api/v1/account/deregistration/cancel',
  '/api/v1/sessions',
  '/api/v1/sessions/current',
  '/api/v1/sessions/:id',
  '/cas/logout',
  // Held by the protocol itself, as said above.
  '/cas/login',
  '/cas/decline',
  '/sso/interaction/:uid/abort',
]);

/**
 * The provider's pages share one route: of them, signing out (RP-initiated logout) is open, and
 * the authorization endpoint with its resume, which the provider's policy holds (see above).
 */
const OPEN_PROVIDER_PATH = /^\/oidc\/(session\/end|auth)(\/|\?|$)/;

const isOpen = (route: string, url: string) =>
  OPEN_ROUTES.has(route) || route.startsWith('/static/') || route.startsWith('/help') || OPEN_PROVIDER_PATH.test(url);

export function installConsentDueGate(app: FastifyInstance): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.session?.consentDue) return;
    const route = request.routeOptions.url;
    // No route: the 404 page, which shows nothing of the account.
    if (route === undefined || isOpen(route, request.url)) return;
    if (request.url.startsWith('/api/')) throw new AppError('consent.due', { status: 403 });
    // A GET returns to where it was going once agreed; a form sent from an earlier page is not
    // replayed (its fields are gone) and goes to 帐号管理 after.
    const back = request.method === 'GET' ? safeLocalPath(request.url, '') : '';
    return reply.redirect(back && back !== '/account' ? `/consent?next=${encodeURIComponent(back)}` : '/consent', 303);
  });
}
