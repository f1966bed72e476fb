// /console/support: support requests waiting for staff, oldest wait first; claim one, read its
// history, answer (the person is told by SMS or email), close. Support role (roles.ts); every
// step is audited in support/requests.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { formBody } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { claimRequest, findByReference, staffClose, staffImage, staffReply, staffRequest, supportQueue } from '../support/requests.ts';
import { CONSOLE, renderConsole, requireStaff, staffActor, staffOf } from './console-http.tsx';
import { SupportQueuePage, SupportRequestPage } from './views/support-pages.tsx';
import { uuidParam } from './params.ts';
import type { MessageKey } from '../i18n/index.ts';
import { own } from '../lib/own.ts';
import type { Inbox } from '../inbox/service.ts';

const NOTICES: Record<string, MessageKey> = { replied: 'support.staff_replied', inbox: 'support.staff_replied_inbox', closed: 'support.staff_closed' };

export function registerSupportQueue(app: FastifyInstance, deps: AccountDeps, inbox: Pick<Inbox, 'send'>): void {
  const guard = { onRequest: requireStaff('support') };

  app.get<{ Querystring: { done?: string } }>(`${CONSOLE}/support`, guard, async (request, reply) => {
    const requests = await supportQueue(deps);
    return renderConsole(request, reply, <SupportQueuePage requests={requests} me={staffOf(request).username} notice={own(NOTICES, request.query.done)} />, {
      title: request.t('support.console_title'),
    });
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE}/support/:id/claim`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    await claimRequest(deps, id, staffActor(request));
    return reply.redirect(`${CONSOLE}/support/${id}`, 303);
  });

  const show = async (request: FastifyRequest, reply: FastifyReply, id: string, failure?: ReturnType<typeof formFailure>, typed?: string) => {
    const found = await staffRequest(deps, id, staffActor(request));
    return renderConsole(request, reply, <SupportRequestPage found={found} errors={failure?.errors ?? {}} formError={failure?.formError} typed={typed} />, {
      title: request.t('support.console_request_title', { reference: found.reference }),
      ...(failure ? { status: failure.status } : {}),
    });
  };

  app.get<{ Querystring: { ref?: unknown } }>(`${CONSOLE}/support/find`, guard, async (request, reply) => {
    const id = await findByReference(deps, request.query.ref);
    if (id) return reply.redirect(`${CONSOLE}/support/${id}`, 303);
    const typed = typeof request.query.ref === 'string' ? request.query.ref.slice(0, 20) : '';
    return renderConsole(request, reply, <SupportQueuePage requests={await supportQueue(deps)} me={staffOf(request).username} notFound={typed} />, {
      title: request.t('support.console_title'),
    });
  });

  app.get<{ Params: { id: string } }>(`${CONSOLE}/support/:id`, guard, async (request, reply) => show(request, reply, uuidParam(request.params.id)));

  app.get<{ Params: { id: string; message: string } }>(`${CONSOLE}/support/:id/images/:message`, guard, async (request, reply) => {
    const image = await staffImage(deps, uuidParam(request.params.id), uuidParam(request.params.message), staffActor(request));
    // The person's image: never cached, never sniffed into something else.
    return reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').type(image.type).send(image.data);
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE}/support/:id/reply`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    const body = formBody(request.body);
    try {
      const { reached } = await staffReply(deps, inbox, id, staffActor(request), { text: body.text, close: body.close === '1' });
      // Staff are told where the answer went: a message, or only the inbox of an unreachable account.
      return reply.redirect(`${CONSOLE}/support?done=${!reached ? 'inbox' : body.close === '1' ? 'closed' : 'replied'}`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      return show(request, reply, id, formFailure(error), body.text);
    }
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE}/support/:id/close`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    await staffClose(deps, id, staffActor(request));
    return reply.redirect(`${CONSOLE}/support?done=closed`, 303);
  });
}
