// Error handling for pages and API alike: domain errors become their message in the person's
// language; anything unexpected is logged and answered without internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { AppError, RateLimitedError, ValidationError } from '../lib/errors.ts';
import { renderPage } from './render.tsx';
import { isMalformedBody } from './input-guards.ts';
import { DATABASE_RETRY_SECONDS, isDatabaseUnavailable } from '../db/unavailable.ts';
import { openLimitLedger, refundRequestLimits } from '../security/limit-ledger.ts';
import { setLang } from './context.ts';
import { Notice } from '../views/components.tsx';
import { useI18n } from '../views/i18n-context.ts';
import type { MessageKey, MessageParams } from '../i18n/index.ts';

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** Renders an error page for requests under a path (the staff console has its own frame). */
export type ErrorPageRenderer = (request: FastifyRequest, reply: FastifyReply, body: ComponentChildren, title: string, status: number) => unknown;

declare module 'fastify' {
  interface FastifyInstance {
    errorLayouts: Array<{ prefix: string; render: ErrorPageRenderer }>;
  }
}

const layoutOf = (request: FastifyRequest) =>
  request.server.errorLayouts.find((l) => request.url === l.prefix || request.url.startsWith(`${l.prefix}/`) || request.url.startsWith(`${l.prefix}?`));

/** The error page in the frame of the part of the site it happened in, linking back to its start. */
function renderError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: MessageKey,
  params: Record<string, string | number> | undefined,
  title: string,
  status: number,
) {
  const layout = layoutOf(request);
  const body = <ErrorBody code={code} params={params} home={layout?.prefix ?? '/'} />;
  if (layout) return layout.render(request, reply, body, title, status);
  return renderPage(request, reply, body, { title, status });
}

function apiError(request: FastifyRequest, reply: FastifyReply, status: number, code: MessageKey, params?: MessageParams) {
  return reply.status(status).send({ error: { code, message: request.t(code, params) } });
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.decorate('errorLayouts', []);
  // What each request spends on the rate limits is noted, so a 503 below can give it back.
  app.addHook('onRequest', openLimitLedger);
  app.setNotFoundHandler(async (request, reply) => {
    if (typeof request.t !== 'function') setLang(request, 'zh-CN');
    if (isApi(request)) return apiError(request, reply, 404, 'error.api_not_found');
    return renderError(request, reply, 'error.not_found.body', undefined, request.t('error.not_found.title'), 404);
  });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // A request can fail before the language hook ran (a malformed body, an early hook): it
    // still gets a page in the default language rather than Fastify's own answer.
    if (typeof request.t !== 'function') setLang(request, 'zh-CN');
    if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    if (error instanceof ValidationError) {
      if (isApi(request)) {
        const fields = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, request.t(v.code, v.params)]));
        return reply.status(400).send({ error: { code: error.code, message: request.t(error.code), fields } });
      }
    }
    if (error instanceof AppError) {
      if (isApi(request)) {
        const body: Record<string, unknown> = { code: error.code, message: request.t(error.code, error.params) };
        if (error.field) body.fields = { [error.field]: body.message };
        if ('captchaRequired' in error) body.captchaRequired = error.captchaRequired;
        return reply.status(error.status).send({ error: body });
      }
      return renderError(request, reply, error.code, error.params, request.t(errorTitle(error.status)), error.status);
    }
    if (isDatabaseUnavailable(error)) {
      // The database is away (stopped, restarting, frozen): a few seconds, not a fault to fix.
      request.log.warn({ err: { type: error.name, code: error.code, message: error.message } }, 'database unavailable');
      // Nothing was saved, so nothing happened: the limits this request spent are given back.
      await refundRequestLimits();
      reply.header('retry-after', String(DATABASE_RETRY_SECONDS));
      if (isApi(request)) return apiError(request, reply, 503, 'error.unavailable.body');
      return renderError(request, reply, 'error.unavailable.body', undefined, request.t('error.server.title'), 503);
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      return renderError(request, reply, 'csrf.invalid', undefined, request.t('csrf.invalid'), 403);
    }
    const status = isMalformedBody(error) ? 400 : error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    // Database errors carry the offending values in `detail` (a phone, an address): log the kind
    // of error and where, never its data.
    if (status === 500) request.log.error({ err: { type: error.name, code: error.code, message: error.message, stack: error.stack } }, 'request failed');
    if (isApi(request))
      return apiError(request, reply, status, status === 500 ? 'error.server.body' : status === 413 ? 'error.too_large' : 'error.bad_request');
    return renderError(
      request,
      reply,
      status === 500 ? 'error.server.body' : 'error.bad_request',
      undefined,
      request.t(status === 500 ? 'error.server.title' : 'error.bad_request'),
      status,
    );
  });
}

/** A refusal is not an outage: only a server fault says the service is unavailable. */
function errorTitle(status: number): MessageKey {
  if (status === 403) return 'error.forbidden.title';
  if (status === 404) return 'error.not_found.title';
  if (status >= 500) return 'error.server.title';
  return 'error.refused.title';
}

function ErrorBody(props: { code: MessageKey; params?: MessageParams | undefined; home: string }) {
  const { t } = useI18n();
  return (
    <>
      <Notice kind="error">{t(props.code, props.params)}</Notice>
      <p>
        <a href={props.home} id="error-home">
          {t('error.back_home')}
        </a>
      </p>
    </>
  );
}
