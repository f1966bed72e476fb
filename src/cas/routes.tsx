// CAS over HTTP (Apereo CAS Protocol 3.0), under /cas beside the OpenID Provider:
//   /login             service, renew, gateway, method=GET|POST → back to the service with ticket=ST-…
//   /logout            ends the Tongxing session; to `service` only when it is registered
//   /validate          CAS 1.0: "yes\nuser\n" or "no\n\n"
//   /serviceValidate, /p3/serviceValidate   service tickets (XML, or JSON with format=JSON)
//   /proxyValidate, /p3/proxyValidate       service and proxy tickets
//   /proxy             pgt + targetService → a proxy ticket
// The sign-in itself is Tongxing's own page (/login, /account/confirm-password), which comes back
// here with a signed proof of when this login began; the rules are in service.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { endSignedInSession, requirePageSession } from '../http/session-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import { allowFormTarget } from '../http/security-headers.ts';
import { Notice } from '../views/components.tsx';
import { signOut } from '../accounts/signin-service.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import {
  CasFailure,
  consentToPlatform,
  issueProxyTicket,
  loginProof,
  loginStartedAt,
  nextLoginStep,
  platformForService,
  sweepEndedCasSessions,
  validateTicket,
  type CasDeps,
} from './service.ts';
import { failureBody, proxyFailureBody, proxySuccessBody, successBody, type CasFormat } from './responses.ts';
import { CasConsentDeclinedPage, CasConsentPage, CasPostBackPage, CasWarnPage, type LoginParams } from './views/cas-pages.tsx';
import { RealnameShortfall } from '../sso/views/consent.tsx';
import { randomToken } from '../lib/crypto.ts';

export const CAS_MOUNT = '/cas';

/** A query or form value that is one string (a repeated parameter counts as none). */
const one = (source: unknown, name: string): string | undefined => {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/** renew and gateway are set by being present (§2.1.1), unless someone writes "false". */
const flag = (source: unknown, name: string) => {
  const value = one(source, name);
  return value !== undefined && value.toLowerCase() !== 'false';
};

/** format=XML (the default) or JSON; anything else is refused (§2.5.1), in XML. */
function formatOf(query: unknown): CasFormat | undefined {
  const format = one(query, 'format')?.toUpperCase() ?? 'XML';
  return format === 'XML' || format === 'JSON' ? format : undefined;
}

/** The /cas/login parameters worth carrying through the sign-in and the consent. */
function loginParams(source: unknown): LoginParams {
  const params: LoginParams = {};
  for (const name of ['service', 'renew', 'gateway', 'warn', 'method', 'cas_proof']) {
    const value = one(source, name);
    if (value !== undefined) params[name] = value;
  }
  return params;
}

const loginUrl = (params: LoginParams) => `${CAS_MOUNT}/login?${new URLSearchParams(params)}`;

export function registerCasRoutes(app: FastifyInstance, deps: CasDeps, accounts: AccountDeps): void {
  // The nonce of the login proof (service.ts): this browser's, for one ticket, ten minutes at most.
  const proofCookie = deps.secureCookies ? '__Host-tx_cas_login' : 'tx_cas_login';
  const proofCookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies };

  const page = (request: FastifyRequest, reply: FastifyReply, status: number, text: string) =>
    renderPage(request, reply, <Notice kind={status >= 400 ? 'error' : 'info'}>{text}</Notice>, { title: request.t('cas.title'), status });

  const login = async (request: FastifyRequest, reply: FastifyReply, source: unknown) => {
    const params = loginParams(source);
    const service = params.service;
    // No service: this is the account site's own sign-in (§2.1.1 says show the login or "signed in").
    if (!service) return reply.redirect(request.session ? '/account' : '/login', 303);
    const startedAt = loginStartedAt(deps, params.cas_proof, request.cookies[proofCookie]);
    const step = await nextLoginStep(deps, {
      service,
      renew: flag(source, 'renew'),
      gateway: flag(source, 'gateway'),
      warn: flag(source, 'warn'),
      session: request.session,
      startedAt,
      ip: requestMeta(request).ip,
    });
    // Coming back here after the sign-in, with the proof of when this login began.
    const back = () => {
      if (startedAt) return loginUrl(params);
      const nonce = randomToken(16);
      reply.setCookie(proofCookie, nonce, { ...proofCookieOptions, maxAge: 600 });
      return loginUrl({ ...params, cas_proof: loginProof(deps, nonce) });
    };
    switch (step.step) {
      case 'unknown_service':
        return page(request, reply, 400, request.t('cas.unknown_service'));
      case 'sign_in':
        return reply.redirect(`/login?next=${encodeURIComponent(back())}`, 303);
      case 'confirm_password':
        return reply.redirect(`/account/confirm-password?next=${encodeURIComponent(back())}`, 303);
      case 'consent_due':
        return reply.redirect(`/consent?next=${encodeURIComponent(loginUrl(params))}`, 303);
      case 'gateway_return':
        return reply.redirect(service, 303);
      case 'account_unavailable':
        return page(request, reply, 403, request.t('cas.account_unavailable'));
      case 'realname_required':
        return renderPage(request, reply, <RealnameShortfall platform={step.platform.name} status={step.status} />, {
          title: request.t('sso.realname_title'),
          status: 403,
        });
      case 'consent':
        // 同意并登录 ends, through redirects, at the service (browsers apply form-action to them).
        allowFormTarget(reply, new URL(service).origin);
        return renderPage(
          request,
          reply,
          <CasConsentPage platform={step.platform.name} scopes={step.scopes} idNumberAccess={step.platform.id_number_access} params={params} />,
          { title: request.t('sso.consent_title') },
        );
      case 'warn': {
        const { warn: _warn, ...rest } = params;
        return renderPage(request, reply, <CasWarnPage platform={step.platform.name} continueTo={loginUrl(rest)} />, { title: request.t('cas.title') });
      }
      case 'ticket': {
        // The proof has served its one ticket.
        if (request.cookies[proofCookie]) reply.clearCookie(proofCookie, proofCookieOptions);
        if (params.method?.toUpperCase() !== 'POST') return reply.redirect(step.redirectTo, 303);
        allowFormTarget(reply, new URL(service).origin);
        const ticket = new URL(step.redirectTo).searchParams.get('ticket')!;
        return renderPage(request, reply, <CasPostBackPage service={service} ticket={ticket} />, { title: request.t('cas.title') });
      }
    }
  };

  app.get(`${CAS_MOUNT}/login`, async (request, reply) => login(request, reply, request.query));

  app.post(`${CAS_MOUNT}/consent`, { preHandler: requirePageSession }, async (request, reply) => {
    const params = loginParams(request.body);
    if (!params.service || !(await consentToPlatform(deps, request.session!, params.service, requestMeta(request).ip)))
      return page(request, reply, 400, request.t('cas.unknown_service'));
    return reply.redirect(loginUrl(params), 303);
  });

  // 不同意 at /consent while this login waited (its `next`): signed out, as declining always is,
  // and no ticket; the page says so and leads back to the platform, which may start again.
  app.post(`${CAS_MOUNT}/decline`, async (request, reply) => {
    if (request.session) await signOut(accounts, request.session.accountId, request.session.id, requestMeta(request));
    endSignedInSession(reply);
    const next = one(request.body, 'next');
    const waiting = next?.startsWith(`${CAS_MOUNT}/login?`) ? new URL(next, 'http://local').searchParams.get('service') : null;
    const platform = waiting ? await platformForService(deps.db, waiting) : undefined;
    if (!waiting || !platform) return reply.redirect('/login?signed_out=1', 303);
    return renderPage(request, reply, <CasConsentDeclinedPage platform={platform.name} service={waiting} />, { title: request.t('cas.title') });
  });

  app.get(`${CAS_MOUNT}/logout`, async (request, reply) => {
    if (request.session) {
      await signOut(accounts, request.session.accountId, request.session.id, requestMeta(request));
      await sweepEndedCasSessions(deps, request.session.id);
    }
    endSignedInSession(reply);
    const service = one(request.query, 'service');
    if (service && (await platformForService(deps.db, service))) return reply.redirect(service, 303);
    return page(request, reply, 200, request.t('cas.signed_out'));
  });

  // ---- validation (service to server: no cookies, no CSRF; answers are never cached)
  const casAnswer = (reply: FastifyReply, format: CasFormat, body: string, status = 200) =>
    reply
      .status(status)
      .header('cache-control', 'no-store')
      .header('content-type', format === 'JSON' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8')
      .send(body);

  const validation = (acceptProxyTickets: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query;
    const format = formatOf(query);
    if (!format) return casAnswer(reply, 'XML', failureBody('XML', 'INVALID_REQUEST', "'format' must be XML or JSON"));
    try {
      const success = await validateTicket(deps, {
        ticket: one(query, 'ticket'),
        service: one(query, 'service'),
        renew: flag(query, 'renew'),
        pgtUrl: one(query, 'pgtUrl'),
        acceptProxyTickets,
      });
      return casAnswer(reply, format, successBody(format, success));
    } catch (error) {
      if (error instanceof CasFailure) return casAnswer(reply, format, failureBody(format, error.code, error.description));
      request.log.error({ err: error }, 'CAS validation failed');
      return casAnswer(reply, format, failureBody(format, 'INTERNAL_ERROR', 'An internal error occurred during ticket validation'), 500);
    }
  };

  for (const path of ['/serviceValidate', '/p3/serviceValidate']) app.get(`${CAS_MOUNT}${path}`, validation(false));
  for (const path of ['/proxyValidate', '/p3/proxyValidate']) app.get(`${CAS_MOUNT}${path}`, validation(true));

  app.get(`${CAS_MOUNT}/validate`, async (request, reply) => {
    const text = (body: string) => reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(body);
    try {
      const success = await validateTicket(deps, {
        ticket: one(request.query, 'ticket'),
        service: one(request.query, 'service'),
        renew: flag(request.query, 'renew'),
        pgtUrl: undefined,
        acceptProxyTickets: false,
      });
      return text(`yes\n${success.user}\n`);
    } catch (error) {
      if (error instanceof CasFailure) return text('no\n\n');
      request.log.error({ err: error }, 'CAS 1.0 validation failed');
      reply.status(500);
      return text('no\n\n');
    }
  });

  app.get(`${CAS_MOUNT}/proxy`, async (request, reply) => {
    const format = formatOf(request.query);
    if (!format) return casAnswer(reply, 'XML', proxyFailureBody('XML', 'INVALID_REQUEST', "'format' must be XML or JSON"));
    try {
      const ticket = await issueProxyTicket(deps, { pgt: one(request.query, 'pgt'), targetService: one(request.query, 'targetService') });
      return casAnswer(reply, format, proxySuccessBody(format, ticket));
    } catch (error) {
      if (error instanceof CasFailure) return casAnswer(reply, format, proxyFailureBody(format, error.code, error.description));
      request.log.error({ err: error }, 'CAS proxy failed');
      return casAnswer(reply, format, proxyFailureBody(format, 'INTERNAL_ERROR', 'An internal error occurred'), 500);
    }
  });
}
