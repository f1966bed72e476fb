// 帐号管理 → 下载个人信息: the page (the form and the person's copies), asking for a copy, and the
// download by the link sent or by the page's button. HTTP only: parse, call service.ts, render.
// Everything here needs a fresh sign-in: a stale session goes to 确认密码 and comes back.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { formBody } from '../http/forms.ts';
import { formFailure, type FormFailure } from '../http/page-errors.ts';
import { requireFreshPageSession } from '../http/fresh-sign-in-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { downloadExport, exportsOf, requestExport } from './service.ts';
import type { ExportWorker } from './worker.ts';
import { ExportPage } from './views/export-page.tsx';

export function registerExportPages(app: FastifyInstance, deps: AccountDeps, worker: Pick<ExportWorker, 'nudge'>): void {
  const page = async (request: FastifyRequest, reply: FastifyReply, failure?: FormFailure) => {
    const done = (request.query as Record<string, unknown>).done;
    return renderPage(
      request,
      reply,
      <ExportPage
        exports={await exportsOf(deps, request.session!.accountId)}
        requested={!failure && done === 'requested'}
        errors={failure?.errors ?? {}}
        formError={failure?.formError}
      />,
      { title: request.t('export.title'), status: failure?.status ?? 200 },
    );
  };

  app.get('/account/export', { preHandler: requireFreshPageSession(deps) }, async (request, reply) => page(request, reply));

  app.post('/account/export', { preHandler: requireFreshPageSession(deps, '/account/export') }, async (request, reply) => {
    const body = formBody(request.body);
    try {
      await requestExport(deps, request.session!.accountId, { password: body.currentPassword, lang: request.lang }, requestMeta(request));
    } catch (error) {
      return page(request, reply, formFailure(error));
    }
    worker.nudge();
    return reply.redirect('/account/export?done=requested', 303);
  });

  const send = (reply: FastifyReply, file: { zip: Buffer; filename: string }) =>
    reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .send(file.zip);

  // The link from the SMS or email: the token in it, and the account signed in.
  app.get<{ Params: { id: string } }>('/account/export/:id/download', { preHandler: requireFreshPageSession(deps) }, async (request, reply) => {
    const token = (request.query as Record<string, unknown>).token;
    const file = await downloadExport(deps, request.session!.accountId, request.params.id, typeof token === 'string' ? token : '', requestMeta(request));
    return send(reply, file);
  });

  // The page's button: a form with the CSRF token, from a fresh session of the account.
  app.post<{ Params: { id: string } }>(
    '/account/export/:id/download',
    { preHandler: requireFreshPageSession(deps, '/account/export') },
    async (request, reply) => send(reply, await downloadExport(deps, request.session!.accountId, request.params.id, undefined, requestMeta(request))),
  );
}
