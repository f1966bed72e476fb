// /account/objection: where the current holder of an ID number objects during 途径3's notice
// period (the notice they were sent links here). HTTP only: the rules are notice-period.ts's.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requirePageSession } from '../http/session-hooks.ts';
import { requestMeta } from '../http/request-meta.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { casesAgainst, object } from './notice-period.ts';
import { ObjectionPage, type ObjectionPageProps } from './views/objection.tsx';

const objectionForm = z.object({
  objection: z.string({ error: 'objection.text_required' }).trim().min(4, { error: 'objection.text_required' }).max(500, { error: 'objection.text_required' }),
});

export function registerObjectionPages(app: FastifyInstance, deps: AccountDeps): void {
  const page = async (request: FastifyRequest, reply: FastifyReply, props: Omit<ObjectionPageProps, 'cases'>, status = 200) =>
    renderPage(request, reply, <ObjectionPage cases={await casesAgainst(deps, request.session!.accountId)} {...props} />, {
      title: request.t('objection.title'),
      status,
    });

  app.get('/account/objection', { preHandler: requirePageSession }, async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done === '1';
    return page(request, reply, done ? { notice: 'objection.sent' } : {});
  });

  app.post<{ Params: { id: string } }>('/account/objection/:id', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    try {
      const { objection } = parseInput(objectionForm, body);
      if (!z.uuid().safeParse(request.params.id).success) return page(request, reply, { error: { code: 'objection.not_found' } }, 404);
      await object(deps, request.session!.accountId, request.params.id, objection, requestMeta(request).ip);
      return reply.redirect('/account/objection?done=1', 303);
    } catch (error) {
      const f = formFailure(error);
      const first = f.formError ?? Object.values(f.errors)[0];
      return page(request, reply, { error: first, text: body.objection }, f.status);
    }
  });
}
