// 注销帐号 pages (帐号管理 → 注销帐号): HTTP only — parse, call requests.ts, render.
//   GET  /account/deregister         what it affects and the confirmation (fresh sign-in), or,
//                                    while a request cools off, the offer to cancel it
//   POST /account/deregister         starts the cooling-off period (fresh sign-in, the tick)
//   POST /account/deregister/cancel  撤销注销, then on to where the sign-in was going
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { safeLocalPath } from '../http/safe-path.ts';
import { endSignedInSession, requirePageSession } from '../http/session-hooks.ts';
import { requireFreshPageSession } from '../http/fresh-sign-in-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import { DAY } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import type { LeavingDeps } from './deps.ts';
import { cancelDeregistration, leavingOverview, startDeregistration } from './requests.ts';
import { CoolingOffPage, DeregisterPage, StartedPage } from './views/pages.tsx';

export function registerLeavingPages(app: FastifyInstance, deps: LeavingDeps): void {
  const days = (ms: number) => Math.round(ms / DAY);
  const fresh = requireFreshPageSession(deps, '/account/deregister');
  const title = (request: FastifyRequest) => request.t('leaving.title');

  async function showForm(request: FastifyRequest, reply: FastifyReply, failure?: ReturnType<typeof formFailure>, cancelled = false) {
    const session = request.session!;
    const overview = await leavingOverview(deps, session.account);
    if (overview.open) {
      const next = safeLocalPath((request.query as Record<string, unknown>).next as string | undefined, '');
      return renderPage(
        request,
        reply,
        <CoolingOffPage
          requestedAt={overview.open.requestedAt}
          dueAt={overview.open.dueAt}
          next={next || undefined}
          platforms={overview.platforms}
          claimant={overview.claimant}
          othersHoldNumber={overview.othersHoldNumber}
          retentionDays={days(deps.leaving.retentionMs)}
          waiting={overview.blocked}
          ended={overview.open.dueAt.getTime() <= deps.clock.now().getTime()}
          formError={failure?.formError}
        />,
        { title: request.t('leaving.cooling_title'), status: failure?.status },
      );
    }
    return renderPage(
      request,
      reply,
      <DeregisterPage
        platforms={overview.platforms}
        claimant={overview.claimant}
        othersHoldNumber={overview.othersHoldNumber}
        retentionDays={days(deps.leaving.retentionMs)}
        coolingOffDays={days(deps.leaving.coolingOffMs)}
        blocked={overview.blocked}
        errors={failure?.errors ?? {}}
        formError={failure?.formError}
        cancelled={cancelled}
      />,
      { title: title(request), status: failure?.status },
    );
  }

  app.get('/account/deregister', { preHandler: requirePageSession }, async (request, reply) => {
    // The offer to cancel needs no fresh sign-in (a sign-in just brought the person here); the
    // form that starts one does.
    const open = (await leavingOverview(deps, request.session!.account)).open;
    if (!open) {
      const stale = await fresh(request, reply);
      if (stale) return stale;
    }
    return showForm(request, reply, undefined, (request.query as Record<string, unknown>).cancelled === '1');
  });

  app.post('/account/deregister', { preHandler: fresh }, async (request, reply) => {
    const body = formBody(request.body);
    try {
      if (body.acknowledge !== '1') throw new AppError('leaving.acknowledge_required', { field: 'acknowledge' });
      const dueAt = await startDeregistration(deps, { accountId: request.session!.accountId, kind: request.session!.account.kind }, requestMeta(request));
      // Every session of the account ended with the request, this one too: the browser forgets it.
      endSignedInSession(reply);
      request.session = undefined;
      request.pageAside = undefined;
      return renderPage(request, reply, <StartedPage dueAt={dueAt} />, { title: request.t('leaving.started_title') });
    } catch (error) {
      return showForm(request, reply, formFailure(error));
    }
  });

  app.post('/account/deregister/cancel', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    try {
      await cancelDeregistration(deps, request.session!.accountId, requestMeta(request));
      const next = safeLocalPath(body.next, '');
      return reply.redirect(next || '/account/deregister?cancelled=1', 303);
    } catch (error) {
      return showForm(request, reply, formFailure(error));
    }
  });
}
