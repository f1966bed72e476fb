// 帐号管理 › 两步验证 (/account/two-factor). HTTP only: parse, call the service, render. Every change
// needs a fresh sign-in (确认密码 within the last minutes); turning it off also needs a current code
// or one of the account's passkeys. It can be turned on with passkeys alone (passkey-factor.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { requirePageSession } from '../http/session-hooks.ts';
import { requireFreshPageSession } from '../http/fresh-sign-in-hooks.ts';
import { formFailure, type FormFailure } from '../http/page-errors.ts';
import { requestMeta } from '../http/request-meta.ts';
import { AppError } from '../lib/errors.ts';
import type { MfaDeps } from './deps.ts';
import { beginTotpSetup, confirmTotpSetup, disableSecondFactor, renewRecoveryCodes, secondFactorStatus } from './second-factor.ts';
import { RecoveryCodesPage, TotpSetupPage, TwoFactorPage } from './views/two-factor.tsx';
import type { PasskeyDeps } from '../passkeys/deps.ts';
import { passkeysOf } from '../passkeys/management.ts';
import { passkeyBrowser, passkeyBrowserOf } from '../passkeys/browser-cookie.ts';
import { jsonFailure } from '../passkeys/routes.tsx';
import { isFresh } from '../sessions/freshness.ts';
import { disableWithPasskey, enablePasskeyWay, passkeyConfirmOptions } from './passkey-factor.ts';

const NO_FAILURE: FormFailure = { status: 200, errors: {}, formError: undefined };

export function registerTwoFactorPages(app: FastifyInstance, deps: MfaDeps, passkeys?: PasskeyDeps): void {
  const title = (request: FastifyRequest) => request.t('mfa.title');
  const accountOf = (request: FastifyRequest) => request.session!.accountId;

  const renderHome = async (request: FastifyRequest, reply: FastifyReply, failure: FormFailure = NO_FAILURE, notice?: string) =>
    renderPage(
      request,
      reply,
      <TwoFactorPage
        status={await secondFactorStatus(deps, accountOf(request))}
        passkeys={passkeys ? (await passkeysOf(deps, accountOf(request))).length : 0}
        notice={notice}
        errors={failure.errors}
        formError={failure.formError}
      />,
      { title: title(request), status: failure.status },
    );

  const renderSetup = async (request: FastifyRequest, reply: FastifyReply, failure: FormFailure = NO_FAILURE) => {
    const setup = await beginTotpSetup(deps, accountOf(request));
    return renderPage(request, reply, <TotpSetupPage uri={setup.uri} secret={setup.secret} errors={failure.errors} formError={failure.formError} />, {
      title: request.t('mfa.setup_title'),
      status: failure.status,
    });
  };

  // Shown once (every page is sent no-store, so no browser or proxy keeps them either).
  const renderCodes = (request: FastifyRequest, reply: FastifyReply, codes: string[], notice: string) =>
    renderPage(request, reply, <RecoveryCodesPage codes={codes} notice={notice} />, { title: title(request) });

  app.get('/account/two-factor', { preHandler: requirePageSession }, async (request, reply) => renderHome(request, reply));

  app.get('/account/two-factor/setup', { preHandler: requireFreshPageSession(deps) }, async (request, reply) => {
    try {
      return await renderSetup(request, reply);
    } catch (error) {
      if (error instanceof AppError) return renderHome(request, reply, formFailure(error));
      throw error;
    }
  });

  app.post('/account/two-factor/setup', { preHandler: requireFreshPageSession(deps, '/account/two-factor/setup') }, async (request, reply) => {
    const code = (formBody(request.body).code ?? '').trim();
    if (!code) return renderSetup(request, reply, { status: 400, errors: { code: { code: 'mfa.code_required', params: {} } }, formError: undefined });
    try {
      const codes = await confirmTotpSetup(deps, accountOf(request), code, requestMeta(request));
      return renderCodes(request, reply, codes, request.t('mfa.enabled'));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Turned on meanwhile (another tab): the page says so; otherwise the same QR code again.
      if (error.code === 'mfa.already_on') return renderHome(request, reply, formFailure(error));
      return renderSetup(request, reply, formFailure(error));
    }
  });

  app.post('/account/two-factor/recovery-codes', { preHandler: requireFreshPageSession(deps, '/account/two-factor') }, async (request, reply) => {
    try {
      const codes = await renewRecoveryCodes(deps, accountOf(request), requestMeta(request));
      return renderCodes(request, reply, codes, request.t('mfa.codes_renewed'));
    } catch (error) {
      if (error instanceof AppError) return renderHome(request, reply, formFailure(error));
      throw error;
    }
  });

  app.post('/account/two-factor/disable', { preHandler: requireFreshPageSession(deps, '/account/two-factor') }, async (request, reply) => {
    const code = (formBody(request.body).code ?? '').trim();
    if (!code) return renderHome(request, reply, { status: 400, errors: { code: { code: 'mfa.code_required', params: {} } }, formError: undefined });
    try {
      await disableSecondFactor(deps, accountOf(request), code, requestMeta(request));
      return renderHome(request, reply, NO_FAILURE, request.t('mfa.disabled'));
    } catch (error) {
      if (error instanceof AppError) return renderHome(request, reply, formFailure(error));
      throw error;
    }
  });

  if (passkeys) registerPasskeyWay(passkeys);

  // ---- the passkey way: on with passkeys alone; off with a passkey
  function registerPasskeyWay(passkeys: PasskeyDeps) {
    app.post('/account/two-factor/passkey', { preHandler: requireFreshPageSession(deps, '/account/two-factor') }, async (request, reply) => {
      try {
        const codes = await enablePasskeyWay(deps, accountOf(request), requestMeta(request));
        return renderCodes(request, reply, codes, request.t('mfa_passkey.enabled'));
      } catch (error) {
        if (error instanceof AppError) return renderHome(request, reply, formFailure(error));
        throw error;
      }
    });

    app.post('/account/two-factor/passkey/options', { preHandler: requirePageSession }, async (request, reply) => {
      if (!isFresh(deps, request.session!)) return reply.status(401).send({ location: '/account/confirm-password?next=%2Faccount%2Ftwo-factor' });
      try {
        return reply.send({ options: await passkeyConfirmOptions(passkeys, accountOf(request), passkeyBrowser(request, reply), requestMeta(request)) });
      } catch (error) {
        return jsonFailure(request, reply, error);
      }
    });

    app.post('/account/two-factor/disable/passkey', { preHandler: requireFreshPageSession(deps, '/account/two-factor') }, async (request, reply) => {
      const credential = formBody(request.body).credential;
      try {
        await disableWithPasskey(deps, passkeys, accountOf(request), passkeyBrowserOf(request), credential, requestMeta(request));
        return renderHome(request, reply, NO_FAILURE, request.t('mfa.disabled'));
      } catch (error) {
        if (error instanceof AppError) return renderHome(request, reply, formFailure(error));
        throw error;
      }
    });
  }
}
