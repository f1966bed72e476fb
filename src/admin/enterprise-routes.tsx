// /console/enterprise: enterprise look-up requests (support).
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
  enterpriseRequestDetail,
  handledEnterpriseRequests,
  pendingEnterpriseRequests,
} from '../enterprise/requests.ts';
import { EnterpriseQueuePage, EnterpriseRequestPage } from './views/enterprise-pages.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { own } from '../lib/own.ts';

const answerForm = z.discriminatedUnion('action', [
  z.object({ action: z.literal('send_username'), accountId: z.uuid('console.not_found'), reason: reasonField }),
  z.object({ action: z.literal('start_reset'), accountId: z.uuid('console.not_found'), reason: reasonField }),
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

  app.get<{ Params: { id: string } }>(`${CONSOLE}/enterprise/:id/letter`, guard, async (request, reply) => {
    const letter = await enterpriseLetter(deps, uuidParam(request.params.id), staffActor(request));
    const pdf = letter.mediaType === 'application/pdf';
    // A PDF is downloaded, never rendered in the console's origin; images only as images.
    return reply
      .header('content-type', letter.mediaType)
      .header('cache-control', 'no-store, private')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('content-disposition', `${pdf ? 'attachment' : 'inline'}; filename="letter.${letter.mediaType.split('/')[1]}"`)
      .send(letter.data);
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
