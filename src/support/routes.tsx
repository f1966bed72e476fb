// The person's pages of support requests: /support/new (signed in or not; ?q= prefills the text,
// as the help assistant's 转人工 link does), /account/support (their requests) and
// /account/support/<reference> (the history, a reply, closing). HTTP only: parse, call
// requests.ts, render. Every refusal is the form again with its messages; nothing here answers 5xx.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { CAPTCHA_REFRESHED, formFailure } from '../http/page-errors.ts';
import { requirePageSession } from '../http/session-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import type { UploadedFile } from '../http/uploads.ts';
import { captchaAnswerOf, createCaptchaFor, wantsAnotherCaptcha } from '../captcha/service.ts';
import { AppError } from '../lib/errors.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { fileRequest, MAX_IMAGE_BYTES, personClose, personReply, requestByFollowLink, requestOf, requestsOf } from './requests.ts';
import { FollowPage, NewRequestPage, RequestFiledPage, RequestListPage, RequestPage, type NewRequestValues } from './views/person-pages.tsx';
import type { MessageKey } from '../i18n/index.ts';

/** One image and the text fields; the text may run to 2,000 characters (6,000 bytes of Chinese). */
const UPLOAD = { multipartOptions: { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 12, fieldSize: 8_000, parts: 14 } } };

const fileOf = (value: unknown): UploadedFile | undefined =>
  value && typeof value === 'object' && Buffer.isBuffer((value as UploadedFile).data) ? (value as UploadedFile) : undefined;

export function registerSupportPages(app: FastifyInstance, deps: AccountDeps): void {
  const newForm = async (request: FastifyRequest, reply: FastifyReply, values: NewRequestValues, failure?: ReturnType<typeof formFailure>) => {
    const signedIn = Boolean(request.session);
    return renderPage(
      request,
      reply,
      <NewRequestPage
        values={values}
        signedIn={signedIn}
        errors={failure?.errors ?? {}}
        formError={failure?.formError}
        captcha={signedIn ? undefined : await createCaptchaFor(deps, request.ip, 'support')}
      />,
      { title: request.t('support.new_title'), status: failure?.status ?? 200 },
    );
  };

  // The link in an answer to someone who filed without signing in: the history, read-only. The
  // token is the whole credential, so the page is never cached and never sent on as a referrer.
  app.get<{ Params: { token: string } }>('/support/follow/:token', async (request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const found = await requestByFollowLink(deps, request.params.token, requestMeta(request));
    if (!found) throw new AppError('support.follow_invalid', { status: 404 });
    return renderPage(request, reply, <FollowPage found={found} />, { title: request.t('support.request_title', { reference: found.reference }) });
  });

  app.get('/support/new', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const q = typeof query.q === 'string' ? query.q.slice(0, 2000) : '';
    return newForm(request, reply, { text: q, source: query.from === 'assistant' && q ? 'assistant' : 'form' });
  });

  app.post('/support/new', { config: UPLOAD }, async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const body = formBody(raw);
    const source = body.source === 'assistant' ? 'assistant' : 'form';
    const values: NewRequestValues = { category: body.category, text: body.text, contact: body.contact, source };
    if (wantsAnotherCaptcha(body)) return newForm(request, reply, values, CAPTCHA_REFRESHED);
    try {
      const accountId = request.session?.accountId;
      const filed = await fileRequest(
        deps,
        { accountId, category: body.category, text: body.text, image: fileOf(raw.image), source, contact: body.contact, captcha: captchaAnswerOf(body) },
        requestMeta(request),
      );
      if (accountId) return reply.redirect(`/account/support/${filed.reference}?done=filed`, 303);
      return renderPage(request, reply, <RequestFiledPage reference={filed.reference} />, { title: request.t('support.new_title') });
    } catch (error) {
      return newForm(request, reply, values, formFailure(error));
    }
  });

  const guard = { preHandler: requirePageSession };

  app.get('/account/support', guard, async (request, reply) => {
    const requests = await requestsOf(deps, request.session!.accountId);
    return renderPage(request, reply, <RequestListPage requests={requests} />, { title: request.t('support.list_title') });
  });

  const NOTICES: Record<string, MessageKey> = { filed: 'support.filed', replied: 'support.replied', closed: 'support.closed_notice' };

  const showRequest = async (request: FastifyRequest, reply: FastifyReply, reference: string, failure?: ReturnType<typeof formFailure>, typed?: string) => {
    const found = await requestOf(deps, request.session!.accountId, reference);
    const done = (request.query as Record<string, unknown>).done;
    const notice = typeof done === 'string' && Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined;
    return renderPage(
      request,
      reply,
      <RequestPage found={found} notice={failure ? undefined : notice} errors={failure?.errors ?? {}} formError={failure?.formError} typed={typed} />,
      { title: request.t('support.request_title', { reference: found.reference }), status: failure?.status ?? 200 },
    );
  };

  app.get<{ Params: { reference: string } }>('/account/support/:reference', guard, async (request, reply) =>
    showRequest(request, reply, request.params.reference),
  );

  app.post<{ Params: { reference: string } }>('/account/support/:reference/reply', { ...guard, config: UPLOAD }, async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const body = formBody(raw);
    const reference = request.params.reference;
    try {
      await personReply(
        deps,
        request.session!.accountId,
        reference,
        { text: body.text, ...(fileOf(raw.image) ? { image: fileOf(raw.image)! } : {}) },
        requestMeta(request),
      );
      return reply.redirect(`/account/support/${reference}?done=replied`, 303);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw error;
      return showRequest(request, reply, reference, formFailure(error), body.text);
    }
  });

  app.post<{ Params: { reference: string } }>('/account/support/:reference/close', guard, async (request, reply) => {
    const reference = request.params.reference;
    try {
      await personClose(deps, request.session!.accountId, reference, requestMeta(request));
      return reply.redirect(`/account/support/${reference}?done=closed`, 303);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw error;
      return showRequest(request, reply, reference, formFailure(error));
    }
  });
}
