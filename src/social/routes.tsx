// WeChat / Alipay over HTTP. HTTP only: cookies, parsing, rendering; the rules are service.ts and
// bindings.ts. One route set per configured provider:
//   GET  /login/{p}                    start a sign-in (keeps `next`, a platform's OIDC or CAS sign-in)
//   GET  /login/{p}/callback           the provider's redirect (code, or Alipay's auth_code, and state)
//   GET  /account/social               帐号管理 › 微信和支付宝
//   POST /account/social/{p}/bind      start a binding (fresh sign-in)
//   POST /account/social/{p}/unbind    解除绑定 (fresh sign-in)
//   GET/POST /account/social/pending   confirm binding an identity after a password sign-in
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { requirePageSession } from '../http/session-hooks.ts';
import { requireFreshPageSession } from '../http/fresh-sign-in-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { allowFormTarget } from '../http/security-headers.ts';
import { AppError } from '../lib/errors.ts';
import type { Message, Translate } from '../i18n/index.ts';
import { replySignedIn } from '../accounts/sign-in-reply.ts';
import type { SocialProviderName } from './provider.ts';
import { bindingsOverview, unbindIdentity } from './bindings.ts';
import {
  confirmPendingBinding,
  finishCallback,
  FLOW_TTL_MS,
  isProviderName,
  nextOfFailedSignIn,
  pendingBinding,
  startBinding,
  startSignIn,
  type SocialDeps,
} from './service.ts';
import { SocialSettingsPage } from './views/settings.tsx';
import { ConfirmBindingPage, SocialFailurePage, UnboundIdentityPage } from './views/pages.tsx';

const FLOW_COOKIE = 'tx_social_flow';
const PENDING_COOKIE = 'tx_social_pending';

/** Cookie names under the same rule as the session's: __Host- on HTTPS. */
const cookieName = (reply: FastifyReply, name: string) => (reply.server.cookiePolicy.secure ? `__Host-${name}` : name);
const cookieOptions = (reply: FastifyReply) => ({
  path: '/',
  httpOnly: true,
  // The provider sends the browser back with a top-level GET: lax cookies travel with it.
  sameSite: 'lax' as const,
  secure: reply.server.cookiePolicy.secure,
  signed: true,
  maxAge: FLOW_TTL_MS / 1000,
});

function setFlowCookie(reply: FastifyReply, name: string, secret: string): void {
  reply.setCookie(cookieName(reply, name), secret, cookieOptions(reply));
}

function clearFlowCookie(reply: FastifyReply, name: string): void {
  reply.clearCookie(cookieName(reply, name), { path: '/', secure: reply.server.cookiePolicy.secure });
}

/** The secret in this browser's signed cookie, or undefined (absent, or its signature fails). */
function flowSecret(request: FastifyRequest, reply: FastifyReply, name: string): string | undefined {
  const raw = request.cookies[cookieName(reply, name)];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

/** A message whose {provider} is a provider's name, in the reader's language. */
function named(t: Translate, message: Message): Message {
  const provider = message.params?.provider;
  return typeof provider === 'string' && isProviderName(provider)
    ? { ...message, params: { ...message.params, provider: t(`social.provider.${provider}`) } }
    : message;
}

const first = (value: unknown): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.length <= 2_000 ? v : undefined;
};

/** Where each provider puts the code in its redirect: WeChat `code`, Alipay's 网页授权 `auth_code` (only that one is read). */
const CODE_PARAMETER: Record<SocialProviderName, string> = { wechat: 'code', alipay: 'auth_code' };

export function registerSocialRoutes(app: FastifyInstance, deps: SocialDeps): void {
  const offered = (Object.keys(deps.providers) as SocialProviderName[]).filter((name) => deps.providers[name]);
  // 绑定 is a form whose answer redirects to the provider: browsers hold that redirect to the CSP's
  // form-action, so the page allows the providers' authorisation origins (and nothing else).
  const providerOrigins = offered.map((name) => new URL(deps.providers[name]!.authorizationUrl({ state: 'origin', redirectUri: deps.publicUrl })).origin);

  const settingsPage = async (request: FastifyRequest, reply: FastifyReply, extra: { notice?: Message; formError?: Message }, status = 200) => {
    const overview = await bindingsOverview(deps, request.session!.accountId);
    for (const origin of providerOrigins) allowFormTarget(reply, origin);
    return renderPage(
      request,
      reply,
      <SocialSettingsPage
        providers={offered}
        {...overview}
        notice={extra.notice && named(request.t, extra.notice)}
        formError={extra.formError && named(request.t, extra.formError)}
      />,
      { title: request.t('social.title'), status },
    );
  };

  const failurePage = (request: FastifyRequest, reply: FastifyReply, provider: SocialProviderName, error: AppError, retryHref?: string) =>
    renderPage(
      request,
      reply,
      <SocialFailurePage
        provider={provider}
        error={named(request.t, { code: error.code, params: error.params })}
        signedIn={Boolean(request.session)}
        retryHref={retryHref}
      />,
      { title: request.t('social.error_title', { provider: request.t(`social.provider.${provider}`) }), status: error.status },
    );

  app.get('/account/social', { preHandler: requirePageSession }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const bound = first(query.bound);
    const unbound = first(query.unbound);
    const notice: Message | undefined =
      bound && isProviderName(bound)
        ? { code: 'social.bound', params: { provider: bound } }
        : unbound && isProviderName(unbound)
          ? { code: 'social.unbound', params: { provider: unbound } }
          : undefined;
    return settingsPage(request, reply, notice ? { notice } : {});
  });

  // Nothing more without a provider: 帐号管理 still has its page, saying none is offered.
  if (offered.length === 0) return;

  // The person's own confirmation after signing in with the password: which identity, then 确认绑定.
  app.get('/account/social/pending', { preHandler: requireFreshPageSession(deps) }, async (request, reply) => {
    const pending = await pendingBinding(deps, flowSecret(request, reply, PENDING_COOKIE));
    if (!pending) return settingsPage(request, reply, { formError: { code: 'social.flow_invalid' } }, 400);
    return renderPage(request, reply, <ConfirmBindingPage provider={pending.provider} displayName={pending.display_name ?? undefined} />, {
      title: request.t('social.confirm_title', { provider: request.t(`social.provider.${pending.provider}`) }),
    });
  });

  app.post('/account/social/pending', { preHandler: requireFreshPageSession(deps, '/account/social/pending') }, async (request, reply) => {
    const secret = flowSecret(request, reply, PENDING_COOKIE);
    clearFlowCookie(reply, PENDING_COOKIE);
    try {
      const done = await confirmPendingBinding(deps, request.session!.accountId, secret, requestMeta(request));
      // Reached from a platform's sign-in: on to it; otherwise back to 帐号管理 with the news.
      return reply.redirect(done.next ? safeLocalPath(done.next, '/account') : `/account/social?bound=${done.provider}`, 303);
    } catch (error) {
      if (error instanceof AppError) return settingsPage(request, reply, { formError: { code: error.code, params: error.params } }, error.status);
      throw error;
    }
  });

  for (const provider of offered) {
    app.get(`/login/${provider}`, async (request, reply) => {
      const next = first((request.query as Record<string, unknown>).next);
      if (request.session) return reply.redirect(safeLocalPath(next, '/account'), 303);
      try {
        const started = await startSignIn(deps, provider, next, requestMeta(request));
        setFlowCookie(reply, FLOW_COOKIE, started.secret);
        return reply.redirect(started.url, 303);
      } catch (error) {
        if (error instanceof AppError) return failurePage(request, reply, provider, error);
        throw error;
      }
    });

    app.get(`/login/${provider}/callback`, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const secret = flowSecret(request, reply, FLOW_COOKIE);
      clearFlowCookie(reply, FLOW_COOKIE);
      try {
        const outcome = await finishCallback(
          deps,
          provider,
          { secret, state: first(query.state), code: first(query[CODE_PARAMETER[provider]]), sessionAccountId: request.session?.accountId },
          requestMeta(request),
        );
        if (outcome.kind === 'signed_in') return await replySignedIn(reply, outcome.signIn(), outcome.next);
        if (outcome.kind === 'bound') return reply.redirect(`/account/social?bound=${outcome.provider}`, 303);
        setFlowCookie(reply, PENDING_COOKIE, outcome.pendingSecret);
        return renderPage(
          request,
          reply,
          <UnboundIdentityPage
            provider={outcome.provider}
            displayName={outcome.displayName}
            loginHref={`/login?next=${encodeURIComponent('/account/social/pending')}`}
          />,
          { title: request.t('social.unbound_title', { provider: request.t(`social.provider.${provider}`) }) },
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // A binding refused (bound elsewhere, the 2-hour pause) is shown where the person started it.
        if (request.session) return settingsPage(request, reply, { formError: { code: error.code, params: error.params } }, error.status);
        const next = nextOfFailedSignIn(error);
        return failurePage(request, reply, provider, error, `/login/${provider}${next ? `?next=${encodeURIComponent(next)}` : ''}`);
      }
    });

    app.post(`/account/social/${provider}/bind`, { preHandler: requireFreshPageSession(deps, '/account/social') }, async (request, reply) => {
      try {
        const started = await startBinding(deps, provider, request.session!.accountId);
        setFlowCookie(reply, FLOW_COOKIE, started.secret);
        return reply.redirect(started.url, 303);
      } catch (error) {
        if (error instanceof AppError) return settingsPage(request, reply, { formError: { code: error.code, params: error.params } }, error.status);
        throw error;
      }
    });

    app.post(`/account/social/${provider}/unbind`, { preHandler: requireFreshPageSession(deps, '/account/social') }, async (request, reply) => {
      try {
        await unbindIdentity(deps, request.session!.accountId, provider, requestMeta(request));
        return reply.redirect(`/account/social?unbound=${provider}`, 303);
      } catch (error) {
        if (error instanceof AppError) return settingsPage(request, reply, { formError: { code: error.code, params: error.params } }, error.status);
        throw error;
      }
    });
  }
}
