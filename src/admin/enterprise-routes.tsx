// /console/enterprise: enterprise look-up requests (support).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { formBody, parseInput } from '../http/forms.ts';
import { firstFailureCode } from '../http/page-errors.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { CONSOLE, renderConsole, requireStaff, staffOf, staffActor } from './console-http.tsx';
import { uuidParam } from './params.ts';
import { reasonField } from './reason.ts';
import {
  answerEnterpriseRequest,
  claimEnterpriseRequest,
  enterpriseLetter,
  enterpriseLetterPage,
  enterpriseRequestDetail,
  handledEnterpriseRequests,
  pendingEnterpriseRequests,
} from '../enterprise/requests.ts';
import { EnterpriseQueuePage, EnterpriseRequestPage } from './views/enterprise-pages.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { own } from '../lib/own.ts';
import { MAX_LETTER_PAGES } from '../enterprise/pdf/refusal.ts';

/** A page number of a PDF letter (1 to the most a letter may have); anything else is not found before any SQL. */
function pageParam(value: string): number {
  const page = /^[1-9][0-9]?$/.test(value) ? Number(value) : 0;
  if (page < 1 || page > MAX_LETTER_PAGES) throw new AppError('console.not_found', { status: 404 });
  return page;
}

/** What the letter routes send: never cached, never run as a page, shown only as what it is. */
function sendLetterFile(reply: FastifyReply, mediaType: string, filename: string, data: Buffer) {
  return reply
    .header('content-type', mediaType)
    .header('cache-control', 'no-store, private')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', `inline; filename="${filename}"`)
    .send(data);
}

const answerForm = z.discriminatedUnion('action', [
  z.object({ action: z.literal('send_username'), accountId: z.uuid('console.not_found'), reason: reasonField }),
  z.object({ action: z.literal('start_reset'), accountId: z.uuid('console.not_found'), reason: reasonField }),
  z.object({ action: z.literal('confirm'), accountId: z.uuid('console.not_found'), reason: reasonField }),
  z.object({ action: z.literal('reject'), reason: reasonField }),
]);

const NOTICES: Record<string, MessageKey> = {
  send_username: 'console.enterprise_username_sent',
  start_reset: 'console.enterprise_reset_started',
  reject: 'console.enterprise_rejected',
};

export function registerEnterpriseRequestPages(app: FastifyInstance, deps: AccountDeps): void {
  const guard = { onRequest: requireStaff('enterprise') };
  const title = (request: FastifyRequest) => request.t('console.enterprise_title');

  app.get<{ Querystring: { done?: string } }>(`${CONSOLE}/enterprise`, guard, async (request, reply) =>
    renderConsole(
      request,
      reply,
      <EnterpriseQueuePage
        requests={await pendingEnterpriseRequests(deps)}
        handled={await handledEnterpriseRequests(deps)}
        me={staffOf(request).username}
        notice={own(NOTICES, request.query.done)}
      />,
      { title: title(request) },
    ),
  );

  app.post<{ Params: { id: string } }>(`${CONSOLE}/enterprise/:id/claim`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    await claimEnterpriseRequest(deps, id, staffActor(request));
    return reply.redirect(`${CONSOLE}/enterprise/${id}`, 303);
  });

  app.get<{ Params: { id: string } }>(`${CONSOLE}/enterprise/:id`, guard, async (request, reply) => {
    const detail = await enterpriseRequestDetail(deps, uuidParam(request.params.id), staffActor(request));
    return renderConsole(request, reply, <EnterpriseRequestPage detail={detail} />, { title: title(request) });
  });

  // An image letter as sent (cleaned at upload). A PDF letter is not served at all: staff look at
  // the page images drawn from it at upload, so no PDF is opened or parsed because of a view.
  app.get<{ Params: { id: string } }>(`${CONSOLE}/enterprise/:id/letter`, guard, async (request, reply) => {
    const letter = await enterpriseLetter(deps, uuidParam(request.params.id), staffActor(request));
    return sendLetterFile(reply, letter.mediaType, `letter.${letter.mediaType.split('/')[1]}`, letter.data);
  });

  app.get<{ Params: { id: string; page: string } }>(`${CONSOLE}/enterprise/:id/letter/pages/:page`, guard, async (request, reply) => {
    const page = pageParam(request.params.page);
    const image = await enterpriseLetterPage(deps, uuidParam(request.params.id), page, staffActor(request));
    return sendLetterFile(reply, 'image/png', `letter-page-${page}.png`, image);
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE}/enterprise/:id/answer`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    const body = formBody(request.body);
    try {
      const answer = parseInput(answerForm, body);
      await answerEnterpriseRequest(
        deps,
        id,
        staffActor(request),
        answer.action === 'reject' ? { action: 'reject', reason: answer.reason } : { action: answer.action, accountId: answer.accountId },
        answer.reason,
      );
      return reply.redirect(`${CONSOLE}/enterprise?done=${answer.action}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status === 404 || error.status === 403) throw error;
      const code = firstFailureCode(error);
      const detail = await enterpriseRequestDetail(deps, id, staffActor(request));
      return renderConsole(request, reply, <EnterpriseRequestPage detail={detail} error={code} retry={body} />, {
        title: title(request),
        status: error.status,
      });
    }
  });
}
