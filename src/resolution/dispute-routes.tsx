// /dispute/:token — 这不是我本人操作, opened from a deregistration notice. No session: the person's
// account is deregistered. HTTP only; the rules are disputes.ts's.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { CAPTCHA_REFRESHED, formFailure } from '../http/page-errors.ts';
import { requestMeta } from '../http/request-meta.ts';
import { captchaAnswerOf, createCaptchaFor, wantsAnotherCaptcha } from '../captcha/service.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import type { MessageKey } from '../i18n/index.ts';
import { disputeLinkForSignIn, disputeLinkState, openDispute } from './disputes.ts';
import { DisputeDonePage, DisputePage } from './views/dispute.tsx';

const LINK_MESSAGES: Record<'used' | 'expired' | 'unknown', { key: MessageKey; status: number }> = {
  used: { key: 'dispute.link_used', status: 410 },
  expired: { key: 'dispute.link_expired', status: 410 },
  unknown: { key: 'dispute.link_unknown', status: 404 },
};

export function registerDisputePages(app: FastifyInstance, deps: AccountDeps): void {
  const title = (request: FastifyRequest) => request.t('dispute.title');

  const form = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    body: Record<string, string | undefined>,
    failure?: ReturnType<typeof formFailure>,
  ) => {
    const link = await disputeLinkState(deps, token);
    if (link.state !== 'valid') {
      const answer = LINK_MESSAGES[link.state];
      return renderPage(request, reply, <DisputeDonePage kind="error" message={{ code: answer.key }} />, { title: title(request), status: answer.status });
    }
    return renderPage(
      request,
      reply,
      <DisputePage
        token={token}
        deregisteredAt={link.deregisteredAt}
        values={{ whatHappened: body.whatHappened, contact: body.contact }}
        errors={failure?.errors ?? {}}
        formError={failure?.formError}
        captcha={await createCaptchaFor(deps, request.ip, 'dispute')}
      />,
      { title: title(request), status: failure?.status ?? 200 },
    );
  };

  // From the sign-in page, for the owner of a deregistered account who typed its password.
  app.get<{ Querystring: { ticket?: string } }>('/dispute/start', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    const token = await disputeLinkForSignIn(deps, String(request.query.ticket ?? '').slice(0, 200));
    if (token) return reply.redirect(`/dispute/${token}`, 303);
    return renderPage(request, reply, <DisputeDonePage kind="error" message={{ code: 'dispute.start_unavailable' }} />, { title: title(request), status: 410 });
  });

  app.get<{ Params: { token: string } }>('/dispute/:token', async (request, reply) => {
    // The token is in the path: never let it leave in a Referer.
    reply.header('referrer-policy', 'no-referrer');
    return form(request, reply, request.params.token, {});
  });

  app.post<{ Params: { token: string } }>('/dispute/:token', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    const body = formBody(request.body);
    if (wantsAnotherCaptcha(body)) return form(request, reply, request.params.token, body, CAPTCHA_REFRESHED);
    try {
      await openDispute(
        deps,
        request.params.token,
        { whatHappened: body.whatHappened ?? '', contact: body.contact ?? '', captcha: captchaAnswerOf(body) },
        requestMeta(request),
      );
      return renderPage(request, reply, <DisputeDonePage kind="success" message={{ code: 'dispute.sent' }} />, { title: title(request) });
    } catch (error) {
      return form(request, reply, request.params.token, body, formFailure(error));
    }
  });
}
